package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * A user's purchase history: their completed orders only, newest first, each with its lines, units
 * and totals, a page at a time; theirs and the operators' alone.
 */
class PurchaseHistoryHttpTest {
  private static Node node;

  @BeforeAll
  static void start() {
    node = TestNode.start("");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void completedOrdersNewestFirstWithTheirLinesAndTotals() {
    Api api = new Api(node.httpPort());
    Shopper shopper = new Shopper(api);
    String user = shopper.newUser("us-west");
    // Products of the test's own, so that no other test's orders take their stock.
    List<String> products = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String product = Admin.newProduct(node);
      Admin.restock(api, product, "Seattle, WA", 5);
      products.add(product);
    }

    String firstCart = shopper.openCart(user);
    shopper.add(firstCart, products.get(0), 2);
    shopper.add(firstCart, products.get(1), 1);
    String first = shopper.checkout(firstCart, "credit card");
    assertEquals("completed", shopper.awaitEnded(first).text("status"));
    String secondCart = shopper.openCart(user);
    shopper.add(secondCart, products.get(2), 1);
    String second = shopper.checkout(secondCart, "paypal");
    assertEquals("completed", shopper.awaitEnded(second).text("status"));
    UUID canceled = insertCanceledOrder(user);
    try {
      ReadSide.awaitCaughtUp(api);
      checkHistory(api, user, products, first, second);
    } finally {
      // Other tests audit the read side against the journal, which has no such order.
      ReadSide.query(
          node.system(), "DELETE FROM orders WHERE order_id = $1 RETURNING 1", canceled, r -> 1);
    }
  }

  private static void checkHistory(
      Api api, String user, List<String> products, String first, String second) {

    Api own = api.as(api.tokenOf(user));
    JsonNode history = own.get("/users/" + user + "/purchases").body();
    assertEquals(2, history.path("total").asLong(), "completed orders only: " + history);
    List<String> orderIds = new ArrayList<>();
    history.path("items").forEach(purchase -> orderIds.add(purchase.path("orderId").asText()));
    assertEquals(List.of(second, first), orderIds, "newest first");

    JsonNode purchase = history.path("items").get(1);
    assertEquals("credit card", purchase.path("paymentMethod").asText());
    assertEquals(3, purchase.path("units").asInt());
    assertEquals(2, purchase.path("items").size());
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode line : purchase.path("items")) {
      BigDecimal lineTotal =
          line.path("price")
              .decimalValue()
              .multiply(BigDecimal.valueOf(line.path("quantity").asInt()));
      assertEquals(0, lineTotal.compareTo(line.path("lineTotal").decimalValue()), line.toString());
      assertEquals(
          "Flash sale item " + line.path("productId").asText(), line.path("name").asText());
      assertTrue(products.contains(line.path("productId").asText()), line.toString());
      sum = sum.add(lineTotal);
    }
    assertEquals(0, sum.compareTo(purchase.path("total").decimalValue()), purchase.toString());

    JsonNode secondPage = own.get("/users/" + user + "/purchases?page=1&size=1").body();
    assertEquals(2, secondPage.path("total").asLong());
    assertEquals(1, secondPage.path("items").size());
    assertEquals(first, secondPage.path("items").get(0).path("orderId").asText());
  }

  @Test
  void onlyTheUserAndOperatorsSeeIt() {
    Api api = new Api(node.httpPort());
    Shopper shopper = new Shopper(api);
    String user = shopper.newUser("us-east");
    String other = shopper.newUser("us-east");
    String path = "/users/" + user + "/purchases";
    assertEquals(200, api.as(api.tokenOf(user)).get(path).status());
    assertEquals(200, api.asOperator().get(path).status());
    assertEquals(404, api.as(api.tokenOf(other)).get(path).status(), "another shopper");
    assertEquals(401, api.anonymous().get(path).status());
    assertEquals(404, api.asOperator().get("/users/" + UUID.randomUUID() + "/purchases").status());
    assertEquals(422, api.asOperator().get(path + "?size=101").status());
    assertEquals(422, api.asOperator().get(path + "?page=-1").status());
    assertEquals(400, api.asOperator().get(path + "?size=many").status());
  }

  /**
   * A canceled order of the user's, newest of all, on the read side only: the history must leave it
   * out.
   */
  private static UUID insertCanceledOrder(String user) {
    return ReadSide.query(
            node.system(),
            "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
                + " payment_method, cancel_reason, cancel_cause, created_at, updated_at)"
                + " VALUES (gen_random_uuid(), $1, gen_random_uuid(), 'us-west', 'canceled', 5.00,"
                + " 'paypal', 'payment declined', 'payment_declined', now(), now())"
                + " RETURNING order_id",
            user,
            row -> row.get(0, UUID.class))
        .get(0);
  }
}
