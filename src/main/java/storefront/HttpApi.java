package storefront;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.ServerBinding;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import analytics.AnalyticsQueries;
import analytics.AnalyticsRoutes;
import cart.CartRoutes;
import catalog.AccountRoutes;
import catalog.Catalog;
import catalog.CatalogRoutes;
import inventory.InventoryRoutes;
import inventory.Stock;
import inventory.StockLevels;
import java.util.List;
import java.util.concurrent.CompletionStage;
import order.OrderRoutes;
import order.Orders;
import order.UserOrders;
import web.Access;
import web.ApiSettings;
import web.Json;
import web.Problems;

/** The HTTP API: every domain's routes behind the one problem+json mapping. */
final class HttpApi {
  private HttpApi() {}

  static Route route(
      ActorSystem<?> system,
      ApiSettings settings,
      Catalog catalog,
      Stock stock,
      Orders orders,
      List<ReadSideProjections.ReadSide> readSides) {
    Json json = new Json(system);
    Route all =
        Directives.concat(
            new CatalogRoutes(json, settings, catalog, new StockLevels(system)::available).routes(),
            new AccountRoutes(json, settings, system, catalog).routes(),
            new CartRoutes(json, settings, system, catalog).routes(),
            new OrderRoutes(json, settings, orders, new UserOrders(system), catalog).routes(),
            new InventoryRoutes(json, settings, catalog, stock).routes(),
            Directives.pathPrefixTest(
                "analytics",
                () ->
                    new Access(settings.authenticator())
                        .operator(
                            new AnalyticsRoutes(json, settings, new AnalyticsQueries(system))
                                ::routes)),
            new ProjectionRoutes(json, settings, new ProjectionStatus(system, readSides)).routes());
    return new Problems(json).handle(all);
  }

  static CompletionStage<ServerBinding> bind(
      ActorSystem<?> system, Route route, String host, int port) {
    return Http.get(system).newServerAt(host, port).bind(route);
  }
}
