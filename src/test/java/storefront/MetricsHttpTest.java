package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import metrics.Poller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * GET /metrics on a real node: what it ran, counted once, with the requests by operation and the
 * polled gauges, in Prometheus' text format, to the operators only. The node's registry is its own,
 * so its counts are this test's alone.
 */
class MetricsHttpTest {
  private static final String CHECKOUT = "/carts/{cartId}/checkout";

  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    // Ended orders leave memory after a second, so that the test sees one recover.
    node = TestNode.start("storefront.ended-entity-idle = 1s");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void aCompletedAndARefusedOrderCountOnceWithTheRequestsThatPlacedThem() {
    String product = Admin.newProduct(node);
    Admin.restock(api, product, "Chicago, IL", 1);
    String completed = checkout(product);
    assertEquals("completed", shopper.awaitEnded(completed).text("status"));
    String refused = checkout(product);
    assertEquals("canceled", shopper.awaitEnded(refused).text("status"));

    // Both orders leave memory (seen by a poll after their idle second); asked again, each
    // recovers from its events, counting nothing.
    Shopper.sleep(Poller.INTERVAL.toMillis() + 2_000);
    awaitScrape(
        m -> m.value("storefront_entities_active", Map.of("type", "Order")).orElse(-1) == 0);
    assertEquals("completed", api.get("/orders/" + completed).text("status"));
    assertEquals("canceled", api.get("/orders/" + refused).text("status"));

    PrometheusText metrics = scrape();
    assertEquals(1, metrics.require("storefront_orders_total", Map.of("outcome", "completed")));
    assertEquals(1, metrics.require("storefront_orders_total", Map.of("outcome", "canceled")));
    assertEquals(2, metrics.require("storefront_checkouts_total", Map.of()));
    assertEquals(
        1, metrics.require("storefront_stock_reservations_total", Map.of("outcome", "reserved")));
    assertEquals(
        1, metrics.require("storefront_stock_reservations_total", Map.of("outcome", "refused")));
    Map<String, String> checkouts = Map.of("method", "POST", "route", CHECKOUT, "status", "200");
    assertEquals(2, metrics.require("http_server_requests_seconds_count", checkouts));
    assertTrue(metrics.require("http_server_requests_seconds_sum", checkouts) > 0);
    Map<String, String> everyCheckout = new java.util.HashMap<>(checkouts);
    everyCheckout.put("le", "+Inf");
    assertEquals(2, metrics.require("http_server_requests_seconds_bucket", everyCheckout));
  }

  @Test
  void theGaugesShowEntitiesProjectionLagPoolsAndTheJvm() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    assertEquals("active", api.get("/carts/" + cartId).text("status"));

    PrometheusText metrics =
        awaitScrape(
            m ->
                m.value("storefront_entities_active", Map.of("type", "ShoppingCart")).orElse(0)
                    > 0);
    assertTrue(metrics.require("storefront_entities_active", Map.of("type", "ActiveCart")) > 0);
    assertTrue(metrics.require("storefront_entities_active", Map.of("type", "ProductStock")) > 0);
    for (String projection :
        new String[] {"order-read-side", "cart-read-side", "inventory-read-side"}) {
      Map<String, String> tag = Map.of("projection", projection);
      assertTrue(metrics.require("storefront_projection_lag_seconds", tag) >= 0);
      assertTrue(metrics.require("storefront_projection_waiting_events", tag) >= 0);
    }
    String journal = "akka.persistence.r2dbc.connection-factory";
    assertEquals(
        node.system().settings().config().getInt(journal + ".max-size"),
        metrics.require("r2dbc_pool_connections", Map.of("pool", journal, "state", "max")));
    for (String state : new String[] {"acquired", "idle", "pending"}) {
      metrics.require(
          "r2dbc_pool_connections",
          Map.of("pool", "storefront.r2dbc.shop-queries", "state", state));
    }
    assertTrue(metrics.require("jvm_memory_used_bytes", Map.of("area", "heap")) > 0);
    assertTrue(metrics.require("process_uptime_seconds", Map.of()) > 0);
  }

  @Test
  void requestsOutsideTheApiCountUnderOneRouteEachNeverTheirPath() {
    String id = UUID.randomUUID().toString();
    assertEquals(404, api.get("/no-such-thing/" + id).status());
    assertEquals(404, api.get("/assets/" + id + ".js").status());
    assertEquals(401, api.anonymous().get("/carts/" + id).status());

    PrometheusText metrics = scrape();
    metrics.require(
        "http_server_requests_seconds_count",
        Map.of("method", "GET", "route", "unmatched", "status", "404"));
    metrics.require(
        "http_server_requests_seconds_count",
        Map.of("method", "GET", "route", "static", "status", "404"));
    metrics.require(
        "http_server_requests_seconds_count",
        Map.of("method", "GET", "route", "/carts/{cartId}", "status", "401"));
    assertFalse(metrics.toString().contains(id), "a path's id became a tag:\n" + metrics);
  }

  @Test
  void onlyTheOperatorsMayScrapeAndTheScrapesAreTimedToo() {
    var anonymous = api.anonymous().get("/metrics");
    assertEquals(401, anonymous.status());
    assertEquals("application/problem+json", anonymous.contentType());
    String shopperToken = api.tokenOf(shopper.newUser("us-east"));
    assertEquals(403, api.as(shopperToken).get("/metrics").status());

    scrape();
    PrometheusText metrics = scrape();
    for (String status : new String[] {"200", "401", "403"}) {
      assertTrue(
          metrics.require(
                  "http_server_requests_seconds_count",
                  Map.of("method", "GET", "route", "/metrics", "status", status))
              >= 1,
          status);
    }
  }

  private static String checkout(String product) {
    return shopper.checkout(
        shopper.openCartWith(shopper.newUser("us-central"), product, 1), "paypal");
  }

  private static PrometheusText scrape() {
    var response = api.asOperator().get("/metrics");
    assertEquals(200, response.status(), response.toString());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", response.contentType());
    return new PrometheusText(response.body().asText());
  }

  /** Scrapes until the polled gauges show what the test waits for (they are polled every 5 s). */
  private static PrometheusText awaitScrape(Predicate<PrometheusText> shows) {
    long deadline = System.currentTimeMillis() + 20_000;
    while (true) {
      PrometheusText metrics = scrape();
      if (shows.test(metrics)) {
        return metrics;
      }
      assertTrue(System.currentTimeMillis() < deadline, "the gauges never showed it:\n" + metrics);
      Shopper.sleep(500);
    }
  }
}
