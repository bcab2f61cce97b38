package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * GET /orders/{id}?waitFor=end answers once the order has ended, or as the order is when the
 * timeout is over, so that a shopper need not poll. The gateway here takes two seconds.
 */
class OrderLongPollHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.latency = 2s");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private String placeOrder() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(cartId, SampleCatalog.products().get(3).productId(), 1);
    return shopper.checkout(cartId, "paypal");
  }

  @Test
  void aWaitThatEndsFirstAnswersTheOrderAsItIsThen() {
    String orderId = placeOrder();
    var answer = api.get("/orders/" + orderId + "?waitFor=end&timeout=200ms");
    assertEquals(200, answer.status(), answer.toString());
    assertEquals("placed", answer.text("status"), "still charging when the wait was over");
  }

  @Test
  void aWaitIsAnsweredAsSoonAsTheOrderEnds() {
    String orderId = placeOrder();
    long start = System.nanoTime();
    var answer = api.get("/orders/" + orderId + "?waitFor=end&timeout=15s");
    long waitedMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(200, answer.status(), answer.toString());
    assertEquals("completed", answer.text("status"));
    assertTrue(waitedMillis < 14_000, "answered at the end, not at the timeout: " + waitedMillis);
    assertEquals(
        "completed",
        api.get("/orders/" + orderId + "?waitFor=end&timeout=15s").text("status"),
        "an ended order answers at once");
  }
}
