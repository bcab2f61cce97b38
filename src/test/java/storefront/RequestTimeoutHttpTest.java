package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * A request that runs past the server's request-timeout answers 503 as problem+json like every
 * other error (akka-http's own answer is plain text), and the metrics count that answer once. Here
 * the limit is 1 s and the gateway takes 3 s, so a shopper's wait for the order's end outlasts it.
 */
class RequestTimeoutHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("akka.http.server.request-timeout = 1s\nstorefront.payment.latency = 3s");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void aRequestPastTheServersLimitAnswersAProblem() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(cartId, SampleCatalog.products().get(3).productId(), 1);
    String orderId = shopper.checkout(cartId, "paypal");

    var answer = api.get("/orders/" + orderId + "?waitFor=end&timeout=10s");
    assertEquals(503, answer.status(), answer.toString());
    assertEquals("application/problem+json", answer.contentType());
    assertTrue(answer.text("detail").contains("time limit"), answer.toString());

    // The long poll itself ends once the order does (the gateway's 3 s); its answer reaches no one
    // and is not counted: only this test's own reads count as 200.
    int reads = 1;
    while (!api.get("/orders/" + orderId).text("status").equals("completed")) {
      reads++;
      Shopper.sleep(200);
    }
    Shopper.sleep(500);
    Map<String, String> orderRoute = Map.of("method", "GET", "route", "/orders/{orderId}");
    PrometheusText metrics = new PrometheusText(api.asOperator().get("/metrics").body().asText());
    assertEquals(1, metrics.require("http_server_requests_seconds_count", with(orderRoute, "503")));
    assertEquals(
        reads,
        metrics.require("http_server_requests_seconds_count", with(orderRoute, "200")),
        "the answer that nobody got was counted too");
  }

  private static Map<String, String> with(Map<String, String> labels, String status) {
    Map<String, String> all = new HashMap<>(labels);
    all.put("status", status);
    return all;
  }
}
