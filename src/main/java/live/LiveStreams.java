package live;

import static akka.http.javadsl.server.Directives.complete;
import static akka.http.javadsl.server.Directives.optionalHeaderValueByName;

import akka.NotUsed;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Predicate;
import notification.Notification;
import web.HttpProblem;
import web.Json;

/**
 * Serves a live stream as server-sent events: what the client missed, the current state, then the
 * changes as they come, with a keep-alive comment every {@link LiveSettings#keepAlive()} (15 s) so
 * that proxies (and the server's own idle timeout) keep the connection open. Written out here
 * rather than with akka-http's ServerSentEvent, whose heartbeat is an empty data field, not a
 * comment.
 *
 * <p>An event's id is the time of its change in epoch milliseconds. A client that reconnects with
 * Last-Event-ID gets the notifications stored since that time less {@link #RESUME_OVERLAP} (read
 * sides write in parallel, so one may store a notification a little after a later one was sent):
 * the overlap repeats some, which the client skips by notificationId. Stock levels and order
 * statuses are states, not deltas: the stream starts with their current values, which supersede any
 * the client missed.
 */
public final class LiveStreams {
  static final Duration RESUME_OVERLAP = Duration.ofSeconds(30);
  private static final ByteString KEEP_ALIVE_COMMENT = ByteString.fromString(": keep-alive\n\n");

  private final LiveUpdates live;
  private final Json json;

  public LiveStreams(LiveUpdates live, Json json) {
    this.live = live;
    this.json = json;
  }

  /**
   * The stream of one client.
   *
   * @param missed the notifications for this interest since a time
   * @param current the state the client starts from (stock levels, an order's status)
   * @param last the event after which the stream ends (an order's final status), or never
   */
  public Route stream(
      Interest interest,
      Function<Instant, CompletionStage<List<Notification>>> missed,
      CompletionStage<List<LiveEvent>> current,
      Predicate<LiveEvent> last) {
    return optionalHeaderValueByName(
        "Last-Event-ID",
        lastEventId -> {
          Optional<Instant> resumeFrom = lastEventId.map(LiveStreams::resumeFrom);
          Source<LiveEvent, NotUsed> replay =
              Source.completionStage(
                      resumeFrom
                          .map(missed)
                          .orElse(
                              java.util.concurrent.CompletableFuture.completedFuture(List.of())))
                  .mapConcat(
                      notifications ->
                          notifications.stream()
                              .<LiveEvent>map(LiveEvent.NotificationStored::new)
                              .toList());
          Source<LiveEvent, NotUsed> state = Source.completionStage(current).mapConcat(l -> l);
          // concat materializes the live source at once, so nothing published while the replay
          // and the state are read is missed (it waits in the client's buffer).
          Source<ByteString, NotUsed> events =
              replay
                  .concat(state)
                  .concat(live.subscribe(interest))
                  .takeWhile(event -> !last.test(event), true)
                  .map(this::serverSentEvent)
                  .keepAlive(live.settings().keepAlive(), () -> KEEP_ALIVE_COMMENT);
          return complete(
              HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(MediaTypes.TEXT_EVENT_STREAM.toContentType(), events)));
        });
  }

  /** One event: its name, its id, its data as one line of JSON (JSON escapes line breaks). */
  private ByteString serverSentEvent(LiveEvent event) {
    Object data =
        event instanceof LiveEvent.NotificationStored stored ? stored.notification() : event;
    try {
      return ByteString.fromString(
          "event: "
              + event.name()
              + "\nid: "
              + event.at().toEpochMilli()
              + "\ndata: "
              + json.mapper().writeValueAsString(data)
              + "\n\n");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a live event as JSON: " + event, e);
    }
  }

  private static Instant resumeFrom(String lastEventId) {
    try {
      return Instant.ofEpochMilli(Long.parseLong(lastEventId.trim())).minus(RESUME_OVERLAP);
    } catch (NumberFormatException e) {
      throw HttpProblem.malformed(
          "Last-Event-ID must be the id of an event of this stream (epoch milliseconds)");
    }
  }
}
