package order;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import catalog.Catalog;
import java.util.UUID;
import web.ApiRoutes;
import web.ApiSettings;
import web.HttpProblem;
import web.Json;

/**
 * GET /orders/{id} (the entity: always current) and GET /users/{id}/orders (the read side: a moment
 * behind the entities).
 */
public final class OrderRoutes extends ApiRoutes {
  private final Orders orders;
  private final UserOrders userOrders;
  private final Catalog catalog;

  public OrderRoutes(
      Json json, ApiSettings settings, Orders orders, UserOrders userOrders, Catalog catalog) {
    super(json, settings);
    this.orders = orders;
    this.userOrders = userOrders;
    this.catalog = catalog;
  }

  public Route routes() {
    return concat(
        path(
            PathMatchers.segment("orders").slash(PathMatchers.uuidSegment()),
            orderId -> get(() -> completeJson(orders.get(orderId.toString())))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("orders"),
            userId -> get(() -> completeJson(ordersOf(userId)))));
  }

  private java.util.concurrent.CompletionStage<?> ordersOf(UUID userId) {
    return catalog
        .user(userId)
        .thenCompose(
            user -> {
              if (user.isEmpty()) {
                throw HttpProblem.notFound("user " + userId + " does not exist");
              }
              return userOrders.of(userId);
            });
  }
}
