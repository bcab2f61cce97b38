package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/** Checkout through the HTTP API against a real node and the real embedded PostgreSQL. */
class CheckoutHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.decline-rate = 0");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static String sampleProduct(int index) {
    return SampleCatalog.products().get(index).productId();
  }

  @Test
  void aShopperChecksOutAndTheOrderCompletesWithAPayment() {
    var products = api.get("/products?category=Books&size=5");
    assertEquals(200, products.status());
    assertEquals(4, products.body().path("items").size());
    String first = sampleProduct(0);
    String second = sampleProduct(5);
    // The entity's count; product pages show the read side's, which must follow it.
    int availableBefore = api.get("/inventory/" + first).body().path("available").asInt();

    String cartId = shopper.openCartWith(shopper.newUser("us-east"), first, 2);
    shopper.add(cartId, second, 1);
    String orderId = shopper.checkout(cartId, "credit card");
    assertEquals(orderId, shopper.checkout(cartId, "credit card"), "checkout is idempotent");

    JsonNode order = shopper.awaitEnded(orderId).body();
    assertEquals("completed", order.path("status").asText());
    assertEquals("completed", order.path("payment").path("status").asText());
    assertTrue(order.path("payment").path("transactionId").asText().startsWith("ch_"));
    assertEquals(
        order.path("total").decimalValue(), order.path("payment").path("amount").decimalValue());
    assertEquals(2, order.path("items").size());

    ReadSide.awaitCaughtUp(api);
    assertEquals(
        availableBefore - 2, api.get("/products/" + first).body().path("available").asInt());
    awaitCartStatus(cartId, "inactive");
  }

  @Test
  void theReadSideListsAUsersOrdersWithTheirStatusHistoryAndPayment() {
    String userId = shopper.newUser("us-west");
    String cartId = shopper.openCart(userId);
    shopper.add(cartId, sampleProduct(7), 2);
    String orderId = shopper.checkout(cartId, "paypal");
    shopper.awaitEnded(orderId);

    long deadline = System.currentTimeMillis() + 15_000;
    JsonNode listed;
    do {
      assertTrue(System.currentTimeMillis() < deadline, "the order reaches the read side");
      Shopper.sleep(100);
      listed = api.get("/users/" + userId + "/orders").body();
    } while (listed.size() != 1 || listed.get(0).path("shipment").isNull());
    assertEquals(orderId, listed.get(0).path("orderId").asText());
    assertEquals("completed", listed.get(0).path("status").asText(), "shipped, still completed");
    assertEquals(48.00, listed.get(0).path("total").asDouble(), 0.001);

    assertEquals(
        List.of("placed", "stock_reserved", "paid", "completed", "shipped"),
        query(
            "SELECT status FROM order_status_history WHERE order_id = $1 ORDER BY seq_nr",
            orderId));
    assertEquals(
        List.of("completed"),
        query("SELECT payment_status FROM payment_details WHERE order_id = $1", orderId));
    assertEquals(
        List.of(sampleProduct(7)),
        query("SELECT product_id::text FROM order_items WHERE order_id = $1", orderId));
    assertProblem404(api.asOperator().get("/users/" + UUID.randomUUID() + "/orders"));
  }

  @Test
  void aCompletedOrderShowsTheTrackingNumberTheCarrierRecorded() {
    String userId = shopper.newUser("us-east");
    String cartId = shopper.openCartWith(userId, sampleProduct(9), 1);
    String orderId = shopper.checkout(cartId, "credit card");
    assertEquals("completed", shopper.awaitEnded(orderId).text("status"));

    long deadline = System.currentTimeMillis() + 15_000;
    JsonNode shipment;
    do {
      assertTrue(System.currentTimeMillis() < deadline, "the order ships");
      Shopper.sleep(50);
      shipment = api.get("/orders/" + orderId).body().path("shipment");
    } while (shipment.isNull());
    String trackingNumber = shipment.path("trackingNumber").asText();
    assertTrue(trackingNumber.matches("SFX\\d{12}"), trackingNumber);
    assertEquals("Storefront Express", shipment.path("carrier").asText());
    assertEquals(
        List.of(trackingNumber),
        query("SELECT tracking_number FROM carrier_shipments WHERE order_id = $1::text", orderId),
        "the carrier's ledger holds the one shipment the order shows");

    ReadSide.awaitCaughtUp(api);
    assertEquals(
        List.of(trackingNumber),
        query("SELECT tracking_number FROM orders WHERE order_id = $1", orderId));
    JsonNode purchase =
        api.as(api.tokenOf(userId)).get("/users/" + userId + "/purchases").body().path("items");
    assertEquals(orderId, purchase.get(0).path("orderId").asText());
    assertEquals(shipment, purchase.get(0).path("shipment"), "the purchase history shows it too");
  }

  private static void assertProblem404(Api.Response response) {
    assertEquals(404, response.status());
    assertEquals("application/problem+json", response.contentType());
  }

  private static List<String> query(String sql, String orderId) {
    return R2dbcSession.withSession(
            node.system(),
            session ->
                session.select(
                    session.createStatement(sql).bind(0, UUID.fromString(orderId)),
                    row -> row.get(0, String.class)))
        .toCompletableFuture()
        .join();
  }

  @Test
  void theInventoryEndpointShowsStockPerWarehouse() {
    var inventory = api.get("/inventory/" + sampleProduct(3));
    assertEquals(200, inventory.status());
    assertEquals(3, inventory.body().path("warehouses").size());
    JsonNode warehouse = inventory.body().path("warehouses").get(0);
    assertEquals(
        warehouse.path("received").asInt(),
        warehouse.path("available").asInt()
            + warehouse.path("reserved").asInt()
            + warehouse.path("sold").asInt());
  }

  @Test
  void twoHundredConcurrentCheckoutsOfFiftyUnitsCompleteExactlyFifty() throws Exception {
    String productId = Admin.newProduct(node);
    Admin.restock(api, productId, "Seattle, WA", 30);
    Admin.restock(api, productId, "Newark, NJ", 20);
    assertEquals(50, api.get("/inventory/" + productId).body().path("available").asInt());

    List<String> carts = new ArrayList<>();
    String[] regions = {"us-west", "us-east", "us-central"};
    for (int i = 0; i < 200; i++) {
      // A user has one active cart: a shopper each.
      String cartId = shopper.openCart(shopper.newUser(regions[i % regions.length]));
      shopper.add(cartId, productId, 1);
      carts.add(cartId);
    }
    List<CompletableFuture<Api.Response>> checkouts = new ArrayList<>();
    for (String cartId : carts) {
      checkouts.add(shopper.checkoutAsync(cartId, "paypal"));
    }
    Map<String, Integer> outcomes = new HashMap<>();
    List<String> canceledOrders = new ArrayList<>();
    Map<String, JsonNode> completedOrders = new HashMap<>();
    for (var checkout : checkouts) {
      var response = checkout.get();
      assertEquals(200, response.status(), response.toString());
      String orderId = response.text("orderId");
      JsonNode order = shopper.awaitEnded(orderId).body();
      String status = order.path("status").asText();
      outcomes.merge(status, 1, Integer::sum);
      if (status.equals("canceled")) {
        assertTrue(order.path("cancelReason").asText().contains("out of stock"), order.toString());
        assertEquals("out_of_stock", order.path("cancelCause").asText(), order.toString());
        assertTrue(order.path("payment").isNull(), "no payment for " + order);
        canceledOrders.add(orderId);
      } else {
        completedOrders.put(orderId, order);
      }
    }
    assertEquals(Map.of("completed", 50, "canceled", 150), outcomes);

    JsonNode inventory = api.get("/inventory/" + productId).body();
    assertEquals(0, inventory.path("available").asInt());
    assertEquals(0, inventory.path("reserved").asInt());
    assertEquals(50, inventory.path("sold").asInt());
    assertEquals(Map.of(), charges(canceledOrders), "no canceled order was charged");
    // The gateway's ledger against the orders, two sources written apart: each completed order was
    // charged its total under the transaction it recorded, and nothing else was charged.
    Map<String, String> expected = new HashMap<>();
    completedOrders.forEach(
        (orderId, order) ->
            expected.put(
                orderId,
                order.path("payment").path("transactionId").asText()
                    + " "
                    + order.path("total").decimalValue().setScale(2)));
    assertEquals(expected, charges(List.copyOf(completedOrders.keySet())));
  }

  @Test
  void aCartFollowsItsOrderToCanceledWhenStockRunsOut() {
    String productId = Admin.newProduct(node);
    Admin.restock(api, productId, "Chicago, IL", 1);
    String cartId = shopper.openCart(shopper.newUser("us-central"));
    shopper.add(cartId, productId, 2);
    String orderId = shopper.checkout(cartId, "paypal");
    assertEquals("canceled", shopper.awaitEnded(orderId).text("status"));
    awaitCartStatus(cartId, "canceled");
    assertEquals(1, api.get("/inventory/" + productId).body().path("available").asInt());
  }

  private void awaitCartStatus(String cartId, String status) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (!api.get("/carts/" + cartId).text("status").equals(status)) {
      assertFalse(System.currentTimeMillis() > deadline, "cart " + cartId + " never " + status);
      Shopper.sleep(50);
    }
  }

  /** The gateway's completed charges of these orders: order id → "transaction amount". */
  private static Map<String, String> charges(List<String> orderIds) {
    Map<String, String> charges = new HashMap<>();
    R2dbcSession.withSession(
            node.system(),
            session ->
                session.select(
                    session
                        .createStatement(
                            "SELECT order_id, transaction_id, amount FROM payment_gateway_charges"
                                + " WHERE order_id = ANY($1) AND status = 'completed'")
                        .bind(0, orderIds.toArray(String[]::new)),
                    row ->
                        Map.entry(
                            row.get("order_id", String.class),
                            row.get("transaction_id", String.class)
                                + " "
                                + row.get("amount", java.math.BigDecimal.class).setScale(2))))
        .toCompletableFuture()
        .join()
        .forEach(charge -> charges.put(charge.getKey(), charge.getValue()));
    return charges;
  }
}
