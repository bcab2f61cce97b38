package live;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import notification.NotificationQueries;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;

/**
 * GET /stream: everything an operator sees, live (every product's stock, every order's status,
 * every notification). The narrower streams are their rooms' own: /stream/stock (inventory),
 * /orders/{id}/stream and /users/{id}/stream (order).
 */
public final class LiveRoutes extends ApiRoutes {
  private final LiveStreams streams;
  private final NotificationQueries notifications;

  private final Endpoint streamEverything = endpoint(GET, "/stream");

  public LiveRoutes(
      Json json, ApiSettings settings, LiveStreams streams, NotificationQueries notifications) {
    super(json, settings);
    this.streams = streams;
    this.notifications = notifications;
  }

  @Override
  public Route routes() {
    return pathPrefix(
        "stream",
        () ->
            pathEndOrSingleSlash(
                () ->
                    on(
                        streamEverything,
                        () ->
                            access.operator(
                                () ->
                                    streams.stream(
                                        new Interest.Everything(),
                                        notifications::allSince,
                                        CompletableFuture.completedFuture(List.of()),
                                        event -> false)))));
  }
}
