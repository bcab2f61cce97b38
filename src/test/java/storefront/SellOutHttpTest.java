package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * A product sells out: the operators' stream and the notifications say so once, the shopper gets
 * the order's confirmation, and quiet streams get keep-alive comments. The node stops during the
 * restock's delay and another starts on the same database: nothing asks for the product, yet its
 * planned restock arrives, once, and it is back in stock, once.
 */
class SellOutHttpTest {
  private static final String SETTINGS =
      "storefront.payment.decline-rate = 0\n"
          + "storefront.inventory.restock-after-sell-out.delay = 3s\n"
          + "storefront.inventory.restock-after-sell-out.quantity = 5\n"
          + "storefront.live.keep-alive = 1s";

  @Test
  void aSellOutIsSaidOnceAndItsRestockArrivesOnceAfterTheNodeStoppedDuringTheDelay()
      throws Exception {
    Node first = TestNode.start(SETTINGS);
    String product;
    String user;
    try {
      Api api = new Api(first.httpPort());
      product = Admin.newProduct(first);
      Admin.restock(api, product, "Chicago, IL", 2);
      Shopper shopper = new Shopper(api);
      user = shopper.newUser("us-central");
      try (EventStreamClient operator =
              new EventStreamClient(first.httpPort(), "/stream", TestNode.ADMIN_TOKEN);
          EventStreamClient mine =
              new EventStreamClient(
                  first.httpPort(), "/users/" + user + "/stream", api.tokenOf(user))) {
        assertEquals(200, operator.status());
        assertEquals(200, mine.status());
        String order = shopper.checkout(shopper.openCartWith(user, product, 2), "paypal");
        assertEquals("completed", shopper.awaitEnded(order).text("status"));
        String soldOut = "\"kind\":\"sold_out\"";
        assertNotNull(
            operator.await(
                e -> e.data().contains(soldOut) && e.data().contains(product),
                Duration.ofSeconds(10)),
            "the operators see the sell-out");
        assertNotNull(
            mine.await(e -> e.data().contains("order_confirmation"), Duration.ofSeconds(10)),
            "the shopper gets the confirmation");
        Shopper.sleep(2_500);
        assertTrue(mine.comments() > 0, "keep-alive comments while nothing else comes");
      }
    } finally {
      first.close();
    }

    Node second = TestNode.start(SETTINGS);
    try {
      long deadline = System.currentTimeMillis() + 60_000;
      while (received(second, product) < 7) {
        assertTrue(System.currentTimeMillis() < deadline, "the planned restock arrives");
        Shopper.sleep(250);
      }
      Shopper.sleep(4_000);
      assertEquals(7, received(second, product), "2 restocked by hand and 5 planned, once");
      Api operator = new Api(second.httpPort()).asOperator();
      assertEquals(1, count(operator, product, "sold_out"));
      assertEquals(1, count(operator, product, "back_in_stock"));
      var mail = operator.get("/users/" + user + "/notifications").body().path("items");
      assertEquals(1, mail.size(), mail.toString());
      assertEquals("order_confirmation", mail.get(0).path("kind").asText());
      assertTrue(mail.get(0).path("recipient").asText().endsWith("@example.com"), mail.toString());
    } finally {
      second.close();
    }
  }

  private static long received(Node node, String product) {
    return ReadSide.count(
        node.system(),
        "SELECT COALESCE(sum(received), 0) FROM inventory WHERE product_id = '" + product + "'");
  }

  private static int count(Api operator, String product, String kind) {
    var page = operator.get("/notifications?productId=" + product + "&kind=" + kind);
    assertEquals(200, page.status(), page.toString());
    return page.body().path("items").size();
  }
}
