package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/** A node whose gateway declines every charge: checkout must give all reserved stock back. */
class DeclinedPaymentHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.decline-rate = 1.0");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void aDeclinedPaymentCancelsTheOrderAndReleasesItsStock() {
    String first = SampleCatalog.products().get(10).productId();
    String second = SampleCatalog.products().get(11).productId();
    JsonNode firstBefore = api.get("/inventory/" + first).body();
    JsonNode secondBefore = api.get("/inventory/" + second).body();

    String cartId = shopper.openCart(shopper.newUser("us-central"));
    shopper.add(cartId, first, 3);
    shopper.add(cartId, second, 1);
    String orderId = shopper.checkout(cartId, "credit card");

    JsonNode order = shopper.awaitEnded(orderId).body();
    assertEquals("canceled", order.path("status").asText());
    assertEquals("failed", order.path("payment").path("status").asText());
    assertTrue(
        order.path("cancelReason").asText().startsWith("payment declined"), order.toString());
    assertEquals("payment_declined", order.path("cancelCause").asText(), order.toString());
    assertEquals(firstBefore, api.get("/inventory/" + first).body(), "stock is back as before");
    assertEquals(secondBefore, api.get("/inventory/" + second).body(), "stock is back as before");
    long deadline = System.currentTimeMillis() + 10_000;
    while (!api.get("/carts/" + cartId).text("status").equals("canceled")) {
      assertTrue(System.currentTimeMillis() < deadline, "the cart learns its order failed");
      Shopper.sleep(50);
    }
  }
}
