package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.function.DoublePredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.EmbeddedDatabase;
import storefront.node.Node;
import storefront.tools.Directories;

/**
 * The database goes away under a running node: requests answer 503 and change nothing, the
 * projections' lag in the metrics is unknown; when it comes back the node recovers on its own and
 * nothing acknowledged before is lost.
 */
class DatabaseOutageHttpTest {
  private static final Path DATA = Path.of("target", "outage-postgres");
  private static int databasePort;
  private static EmbeddedDatabase database;
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void start() {
    Directories.deleteRecursively(DATA);
    databasePort = TestDatabase.freePort();
    database = EmbeddedDatabase.start(DATA, databasePort);
    node =
        TestNode.start(
            "storefront.http.ask-timeout = 2s\nstorefront.metrics.projection-lag-poll = 500ms",
            databasePort);
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stop() {
    node.close();
    database.close();
  }

  @Test
  void requestsAnswer503WhileTheDatabaseIsDownAndSucceedAgainAfterwards() {
    String product = SampleCatalog.products().get(4).productId();
    String user = shopper.newUser("us-east");
    String cartId = shopper.openCart(user);
    shopper.add(cartId, product, 1);
    JsonNode cartBefore = api.get("/carts/" + cartId).body();

    database.close();
    try {
      assertEquals(503, api.get("/products").status());
      assertEquals(503, api.as(api.tokenOf(user)).get("/carts/" + UUID.randomUUID()).status());
      var add =
          api.post(
              "/carts/" + cartId + "/items",
              "{\"productId\":\""
                  + SampleCatalog.products().get(5).productId()
                  + "\",\"quantity\":1}");
      assertEquals(503, add.status(), add.toString());
      assertEquals("application/problem+json", add.contentType());
      // The projections' lag cannot be read: unknown, not the figure from before the outage.
      awaitLag(Double::isNaN, "NaN");
    } finally {
      database = EmbeddedDatabase.start(DATA, databasePort);
    }

    awaitStatus(200, () -> api.get("/products").status());
    awaitStatus(200, () -> api.get("/carts/" + cartId).status());
    assertEquals(cartBefore, api.get("/carts/" + cartId).body(), "nothing changed, nothing lost");
    shopper.add(cartId, product, 1);
    String orderId = shopper.checkout(cartId, "paypal");
    assertEquals("completed", shopper.awaitEnded(orderId).text("status"));
    awaitLag(lag -> lag >= 0, "a lag again");
  }

  private static void awaitLag(DoublePredicate shows, String what) {
    long deadline = System.currentTimeMillis() + 30_000;
    double lag;
    while (!shows.test(lag = orderReadSideLag())) {
      assertTrue(
          System.currentTimeMillis() < deadline, "lag " + lag + ", not " + what + " in 30 s");
      Shopper.sleep(200);
    }
  }

  private static double orderReadSideLag() {
    return new PrometheusText(api.asOperator().get("/metrics").body().asText())
        .require("storefront_projection_lag_seconds", Map.of("projection", "order-read-side"));
  }

  private static void awaitStatus(int expected, Supplier<Integer> request) {
    long deadline = System.currentTimeMillis() + 30_000;
    int status;
    while ((status = request.get()) != expected) {
      assertTrue(System.currentTimeMillis() < deadline, "still " + status + " after 30 s");
      Shopper.sleep(200);
    }
  }
}
