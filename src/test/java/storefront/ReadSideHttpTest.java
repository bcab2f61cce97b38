package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/** The read-side tables equal what the entities (and so the journal) say. */
class ReadSideHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.decline-rate = 0.5");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void everyTableEqualsTheEntitiesAfterCompletedOutOfStockAndDeclinedOrders() throws Exception {
    String scarce = Admin.newProduct(node);
    Admin.restock(api, scarce, "Newark, NJ", 3);
    String plenty = SampleCatalog.products().get(8).productId();

    List<String> carts = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      // A user has one active cart: a shopper each.
      String cartId = shopper.openCart(shopper.newUser("us-east"));
      shopper.add(cartId, plenty, 1 + i % 3);
      if (i % 3 == 0) {
        shopper.add(cartId, scarce, 1);
      }
      if (i % 4 == 0) {
        api.put("/carts/" + cartId + "/items/" + plenty, "{\"quantity\":5}");
      }
      carts.add(cartId);
    }
    String givenUp = shopper.openCart(shopper.newUser("us-east"));
    shopper.add(givenUp, plenty, 1);
    api.delete("/carts/" + givenUp + "/items/" + plenty);
    api.delete("/carts/" + givenUp);

    List<CompletableFuture<Api.Response>> checkouts = new ArrayList<>();
    for (String cartId : carts) {
      checkouts.add(shopper.checkoutAsync(cartId, "paypal"));
    }
    Set<String> orders = new HashSet<>();
    Map<String, Integer> outcomes = new TreeMap<>();
    for (var checkout : checkouts) {
      String orderId = checkout.get().text("orderId");
      orders.add(orderId);
      JsonNode order = shopper.awaitEnded(orderId).body();
      String outcome =
          order.path("cancelCause").isNull()
              ? order.path("status").asText()
              : order.path("cancelCause").asText();
      outcomes.merge(outcome, 1, Integer::sum);
    }
    assertEquals(
        Set.of("completed", "payment_declined", "out_of_stock"),
        outcomes.keySet(),
        outcomes.toString());
    carts.add(givenUp);
    awaitCartsEnded(carts);

    ReadSide.awaitCaughtUp(api);
    for (String orderId : orders) {
      assertOrderRowsEqualTheEntity(orderId);
    }
    for (String cartId : carts) {
      assertCartRowsEqualTheEntity(cartId);
    }
    for (String productId : List.of(scarce, plenty)) {
      assertInventoryRowsEqualTheEntity(productId);
    }
  }

  private void awaitCartsEnded(List<String> carts) {
    for (String cartId : carts) {
      long deadline = System.currentTimeMillis() + 10_000;
      while (!Set.of("inactive", "canceled").contains(api.get("/carts/" + cartId).text("status"))) {
        assertTrue(System.currentTimeMillis() < deadline, "cart " + cartId + " ends");
        Shopper.sleep(50);
      }
    }
  }

  private void assertOrderRowsEqualTheEntity(String orderId) {
    JsonNode order = api.get("/orders/" + orderId).body();
    var row =
        ReadSide.query(
                node.system(),
                "SELECT order_status, total_amount, cancel_reason, user_id::text, cart_id::text,"
                    + " cancel_cause, tracking_number FROM orders WHERE order_id = $1",
                orderId,
                r ->
                    List.of(
                        r.get(0, String.class),
                        r.get(1, BigDecimal.class).toPlainString(),
                        String.valueOf(r.get(2, String.class)),
                        r.get(3, String.class),
                        r.get(4, String.class),
                        String.valueOf(r.get(5, String.class)),
                        String.valueOf(r.get(6, String.class))))
            .get(0);
    JsonNode shipment = order.path("shipment");
    assertEquals(
        List.of(
            order.path("status").asText(),
            order.path("total").decimalValue().setScale(2).toPlainString(),
            order.path("cancelReason").isNull() ? "null" : order.path("cancelReason").asText(),
            order.path("userId").asText(),
            order.path("cartId").asText(),
            order.path("cancelCause").isNull() ? "null" : order.path("cancelCause").asText(),
            shipment.isNull() ? "null" : shipment.path("trackingNumber").asText()),
        row,
        "orders row of " + orderId);

    Set<String> entityItems = new HashSet<>();
    order
        .path("items")
        .forEach(
            i -> entityItems.add(i.path("productId").asText() + "x" + i.path("quantity").asInt()));
    Set<String> rowItems =
        new HashSet<>(
            ReadSide.query(
                node.system(),
                "SELECT product_id::text || 'x' || quantity FROM order_items WHERE order_id = $1",
                orderId,
                r -> r.get(0, String.class)));
    assertEquals(entityItems, rowItems, "order_items of " + orderId);

    List<String> payments =
        ReadSide.query(
            node.system(),
            "SELECT payment_status || ' ' || transaction_id FROM payment_details WHERE order_id = $1",
            orderId,
            r -> r.get(0, String.class));
    JsonNode payment = order.path("payment");
    assertEquals(
        payment.isNull()
            ? List.of()
            : List.of(
                payment.path("status").asText() + " " + payment.path("transactionId").asText()),
        payments,
        "each charge attempt once for " + orderId);

    List<String> history =
        ReadSide.query(
            node.system(),
            "SELECT status FROM order_status_history WHERE order_id = $1 ORDER BY seq_nr",
            orderId,
            r -> r.get(0, String.class));
    assertEquals("placed", history.get(0));
    assertEquals(
        shipment.isNull() ? order.path("status").asText() : "shipped",
        history.get(history.size() - 1));
  }

  private void assertCartRowsEqualTheEntity(String cartId) {
    JsonNode cart = api.get("/carts/" + cartId).body();
    var row =
        ReadSide.query(
                node.system(),
                "SELECT status, COALESCE(order_id::text, 'none') FROM carts WHERE cart_id = $1",
                cartId,
                r -> List.of(r.get(0, String.class), r.get(1, String.class)))
            .get(0);
    String orderId = cart.path("orderId").isNull() ? "none" : cart.path("orderId").asText();
    assertEquals(List.of(cart.path("status").asText(), orderId), row, "carts row of " + cartId);
    Set<String> entityLines = new HashSet<>();
    cart.path("items")
        .forEach(
            i -> entityLines.add(i.path("productId").asText() + "x" + i.path("quantity").asInt()));
    Set<String> rowLines =
        new HashSet<>(
            ReadSide.query(
                node.system(),
                "SELECT product_id::text || 'x' || quantity FROM cart_items WHERE cart_id = $1",
                cartId,
                r -> r.get(0, String.class)));
    assertEquals(entityLines, rowLines, "cart_items of " + cartId);
  }

  private void assertInventoryRowsEqualTheEntity(String productId) {
    JsonNode stock = api.get("/inventory/" + productId).body();
    Set<String> entity = new HashSet<>();
    stock
        .path("warehouses")
        .forEach(
            w ->
                entity.add(
                    String.join(
                        " ",
                        w.path("warehouseId").asText(),
                        w.path("available").asText(),
                        w.path("reserved").asText(),
                        w.path("sold").asText(),
                        w.path("received").asText())));
    Set<String> rows =
        new HashSet<>(
            ReadSide.query(
                node.system(),
                "SELECT warehouse_id::text || ' ' || quantity || ' ' || reserved || ' ' || sold"
                    + " || ' ' || received FROM inventory WHERE product_id = $1",
                productId,
                r -> r.get(0, String.class)));
    assertEquals(entity, rows, "inventory of " + productId);
  }

  @Test
  void theChangeLogAnswersLargeAddsAndCartsContainingAProduct() {
    String product = Admin.newProduct(node);
    String other = SampleCatalog.products().get(9).productId();

    // A user has one active cart: a shopper each.
    String first = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(first, product, 3); // a large add: a new line of 3
    String second = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(second, product, 1);
    api.put("/carts/" + second + "/items/" + product, "{\"quantity\":5}"); // a large add: +4
    String third = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(third, product, 2);
    shopper.add(third, product, 1); // +1 then +2 more: not large, neither add is above 2
    String fourth = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(fourth, product, 1);
    api.delete("/carts/" + fourth + "/items/" + product); // no longer contains it
    shopper.add(fourth, other, 4); // large, but another product

    ReadSide.awaitCaughtUp(api);
    JsonNode largeAdds =
        api.asOperator().get("/analytics/large-cart-adds?productId=" + product).body();
    assertEquals(2, largeAdds.path("times").asLong(), largeAdds.toString());
    assertEquals(7, largeAdds.path("units").asLong());
    JsonNode presence = api.asOperator().get("/analytics/products/" + product + "/carts").body();
    assertEquals(3, presence.path("carts").asLong(), presence.toString());
    assertEquals(3, presence.path("activeCarts").asLong());

    String from = largeAdds.path("last").asText();
    JsonNode afterLast =
        api.asOperator()
            .get("/analytics/large-cart-adds?productId=" + product + "&from=" + from)
            .body();
    assertEquals(1, afterLast.path("times").asLong(), "the time range bounds the count");

    List<String> operations =
        ReadSide.query(
            node.system(),
            "SELECT operation || operation_code FROM cart_item_events WHERE cart_id = $1 ORDER BY seq_nr",
            fourth,
            r -> r.get(0, String.class));
    assertEquals(List.of("insert2", "delete1", "insert2"), operations);
  }

  @Test
  void analyticsParametersAreValidated() {
    assertEquals(422, api.asOperator().get("/analytics/product-popularity?limit=0").status());
    assertEquals(400, api.asOperator().get("/analytics/abandoned-carts?idleMinutes=soon").status());
    assertEquals(422, api.asOperator().get("/analytics/large-cart-adds?from=yesterday").status());
    assertEquals(200, api.asOperator().get("/analytics/funnel").status());
    assertEquals(200, api.asOperator().get("/analytics/sales-by-region-hour?hours=2").status());
    assertEquals(200, api.asOperator().get("/analytics/low-stock?threshold=5").status());
    assertEquals(422, api.asOperator().get("/analytics/low-stock?limit=1001").status());
    assertEquals(
        422, api.asOperator().get("/analytics/abandoned-carts?after=not-a-cursor").status());
    JsonNode first = api.asOperator().get("/analytics/low-stock?threshold=1000&limit=1").body();
    assertEquals(1, first.path("items").size(), first.toString());
    String next = first.path("next").asText();
    JsonNode second =
        api.asOperator().get("/analytics/low-stock?threshold=1000&limit=1&after=" + next).body();
    assertEquals(1, second.path("items").size(), second.toString());
    assertNotEquals(first.path("items").get(0), second.path("items").get(0));
    assertEquals(
        422,
        api.asOperator().get("/analytics/sales-by-region-hour?after=" + next).status(),
        "another listing's");
    JsonNode projections = api.asOperator().get("/projections").body();
    Set<String> names = new HashSet<>();
    projections.forEach(p -> names.add(p.path("projection").asText()));
    assertEquals(Set.of("order-read-side", "cart-read-side", "inventory-read-side"), names);
    assertEquals(12, projections.size());
    assertTrue(
        projections.findValuesAsText("state").stream().collect(Collectors.toSet()).stream()
            .allMatch(s -> Set.of("up-to-date", "catching-up").contains(s)));
  }
}
