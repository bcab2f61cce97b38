package storefront.node;

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
import com.typesafe.config.Config;
import inventory.InventoryRoutes;
import inventory.Stock;
import inventory.StockLevels;
import java.time.Duration;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

  /**
   * The console asks every 2 s: a member that does not answer within a second is shown without its
   * figures rather than holding the answer up.
   */
  private static final Duration CLUSTER_QUERIES = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final NodeDirectory directory;
  private final Route route;
  private final List<Endpoint> endpoints;

  HttpApi(
      ActorSystem<?> system,
      ApiSettings settings,
      Entities entities,
      LiveUpdates live,
      List<ReadSideProjections.ReadSide> readSides) {
    this.system = system;
    this.directory = new NodeDirectory(system, CLUSTER_QUERIES);
    ClusterView cluster = new ClusterView(system, directory, Entities.TYPES, CLUSTER_QUERIES);
    Catalog catalog = new Catalog(system);
    Stock stock = entities.stock();
    Orders orders = entities.orders();
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

  List<Endpoint> endpoints() {
    return endpoints;
  }

  /**
   * Serves the API on the configured interface and port, tells the other members where browsers
   * reach it, and unbinds first when the node shuts down.
   */
  ServerBinding serve(Config storefront) {
    String host = storefront.getString("http.interface");
    int port = storefront.getInt("http.port");
    ServerBinding binding = StartUp.await(Http.get(system).newServerAt(host, port).bind(route));
    directory.register(publicUrl(storefront, binding));
    binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
    log.info("Storefront serving on http://{}:{}", host, binding.localAddress().getPort());
    return binding;
  }

  /**
   * Where browsers reach this node: {@code storefront.http.public-url} when set (behind a proxy or
   * in a container), else the interface and port it is bound to.
   */
  private static String publicUrl(Config storefront, ServerBinding binding) {
    String configured = storefront.getString("http.public-url");
    return configured.isEmpty()
        ? "http://"
            + binding.localAddress().getHostString()
            + ":"
            + binding.localAddress().getPort()
        : configured;
  }
}
