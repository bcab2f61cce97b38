package order;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import web.ApiRoutes;
import web.ApiSettings;
import web.Json;

/** GET /orders/{id}: an order with its status, items and payment. */
public final class OrderRoutes extends ApiRoutes {
  private final Orders orders;

  public OrderRoutes(Json json, ApiSettings settings, Orders orders) {
    super(json, settings);
    this.orders = orders;
  }

  public Route routes() {
    return path(
        PathMatchers.segment("orders").slash(PathMatchers.uuidSegment()),
        orderId -> get(() -> completeJson(orders.get(orderId.toString()))));
  }
}
