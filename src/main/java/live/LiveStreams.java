package live;

import static akka.http.javadsl.server.Directives.completeOK;
import static akka.http.javadsl.server.Directives.optionalHeaderValueByName;

import akka.NotUsed;
import akka.http.javadsl.marshalling.sse.EventStreamMarshalling;
import akka.http.javadsl.model.sse.ServerSentEvent;
import akka.http.javadsl.server.Route;
import akka.stream.javadsl.Source;
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
 * changes as they come, with a keep-alive comment every {@link #KEEP_ALIVE} so that proxies keep
 * the connection open.
 *
 * <p>An event's id is the time of its change in epoch milliseconds. A client that reconnects with
 * Last-Event-ID gets the notifications stored since that time less {@link #RESUME_OVERLAP} (read
 * sides write in parallel, so one may store a notification a little after a later one was sent):
 * the overlap repeats some, which the client skips by notificationId. Stock levels and order
 * statuses are states, not deltas: the stream starts with their current values, which supersede any
 * the client missed.
 */
public final class LiveStreams {
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  static final Duration RESUME_OVERLAP = Duration.ofSeconds(30);

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
          Source<ServerSentEvent, NotUsed> events =
              replay
                  .concat(state)
                  .concat(live.subscribe(interest))
                  .takeWhile(event -> !last.test(event), true)
                  .map(this::serverSentEvent)
                  .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat);
          return completeOK(events, EventStreamMarshalling.toEventStream());
        });
  }

  private ServerSentEvent serverSentEvent(LiveEvent event) {
    Object data =
        event instanceof LiveEvent.NotificationStored stored ? stored.notification() : event;
    try {
      return ServerSentEvent.create(
          json.mapper().writeValueAsString(data),
          event.name(),
          Long.toString(event.at().toEpochMilli()));
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
