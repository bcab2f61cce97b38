package storefront;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Route;
import analytics.AnalyticsQueries;
import analytics.AnalyticsRoutes;
import cart.CartRoutes;
import catalog.AccountRoutes;
import catalog.Catalog;
import catalog.CatalogRoutes;
import catalog.DemoRoutes;
import inventory.InventoryRoutes;
import inventory.Stock;
import inventory.StockLevels;
import java.util.List;
import java.util.concurrent.CompletionStage;
import live.LiveRoutes;
import live.LiveStreams;
import live.LiveUpdates;
import metrics.HttpMetrics;
import metrics.MetricsRoutes;
import metrics.NodeMetrics;
import notification.NotificationQueries;
import notification.NotificationRoutes;
import order.OrderRoutes;
import order.Orders;
import order.UserOrders;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;
import web.OpenApiRoutes;
import web.Problems;
import web.WebPages;

/**
 * The HTTP API: every domain's routes behind the one problem+json mapping, timed by operation, and
 * the operations they serve, which /openapi.json documents.
 */
final class HttpApi {
  private final Route route;
  private final List<Endpoint> endpoints;

  HttpApi(
      ActorSystem<?> system,
      ApiSettings settings,
      Catalog catalog,
      Stock stock,
      Orders orders,
      LiveUpdates live,
      List<ReadSideProjections.ReadSide> readSides,
      ClusterView cluster) {
    Json json = new Json(system);
    LiveStreams streams = new LiveStreams(live, json);
    NotificationQueries notifications = new NotificationQueries(system);
    StockLevels levels = new StockLevels(system);
    List<ApiRoutes> domains =
        List.of(
            new CatalogRoutes(json, settings, catalog, levels::available),
            new AccountRoutes(json, settings, system, catalog),
            new DemoRoutes(json, settings, system, catalog),
            new CartRoutes(json, settings, system, catalog),
            new OrderRoutes(
                json, settings, orders, new UserOrders(system), catalog, streams, notifications),
            new InventoryRoutes(json, settings, catalog, stock, levels, streams, notifications),
            new NotificationRoutes(json, settings, notifications),
            new LiveRoutes(json, settings, streams, notifications),
            new AnalyticsRoutes(json, settings, new AnalyticsQueries(system)),
            new ProjectionRoutes(json, settings, new ProjectionStatus(system, readSides)),
            new ClusterRoutes(json, settings, cluster),
            new MetricsRoutes(json, settings, NodeMetrics.get(system)),
            new OpenApiRoutes(json, settings));
    this.endpoints = domains.stream().flatMap(domain -> domain.endpoints().stream()).toList();
    Problems problems = new Problems(json);
    this.route =
        new HttpMetrics(NodeMetrics.get(system).registry(), endpoints)
            .timed(
                problems::requestTimedOut,
                problems.handle(
                    domains.stream()
                        .map(ApiRoutes::routes)
                        .reduce(Route::orElse)
                        .orElseThrow()
                        .orElse(new WebPages().routes())));
  }

  Route route() {
    return route;
  }

  List<Endpoint> endpoints() {
    return endpoints;
  }

  static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, Route route, String host, int port) {
    return Http.get(system).newServerAt(host, port).bind(route);
  }
}
