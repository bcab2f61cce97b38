package storefront.tools.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import storefront.tools.NodeHttp;

/**
 * One simulated shopper's visit, like the seeds' loop: open a cart, look at and add 1–5 products
 * (1–3 of each), give up and cancel the cart when a product is out of stock or nothing could be
 * added, else check out and wait for the order's end.
 */
final class ShopperSession {
  private static final List<String> PAYMENT_METHODS = List.of("credit card", "paypal");
  private static final Set<String> ENDED = Set.of("completed", "canceled");

  /** A shopper as the workload knows them. */
  record Shopper(String userId, String name, String region, String email) {}

  /**
   * What the workload reports of an order the shop acknowledged; a canceled order's cause is the
   * shop's code (out_of_stock, payment_declined), its reason the words.
   */
  record OrderEnd(
      Shopper shopper, String orderId, String cartId, String status, String cause, String reason) {}

  private final ShopClient client;
  private final ShopperTokens tokens;
  private final Stats stats;
  private final IdleShoppers idleShoppers;
  private final List<String> products;
  private final Duration thinkTime;
  private final Consumer<OrderEnd> onOrderAcknowledged;
  private final Consumer<OrderEnd> onOrderEnded;

  ShopperSession(
      ShopClient client,
      ShopperTokens tokens,
      Stats stats,
      List<Shopper> shoppers,
      List<String> products,
      Duration thinkTime,
      Consumer<OrderEnd> onOrderAcknowledged,
      Consumer<OrderEnd> onOrderEnded) {
    this.client = client;
    this.tokens = tokens;
    this.stats = stats;
    this.idleShoppers = new IdleShoppers(shoppers);
    this.products = products;
    this.thinkTime = thinkTime;
    this.onOrderAcknowledged = onOrderAcknowledged;
    this.onOrderEnded = onOrderEnded;
  }

  /** One visit, as a shopper no other visit has now (ends at once when interrupted first). */
  void visit() {
    idleShoppers
        .take()
        .ifPresent(
            shopper -> {
              try {
                visitAs(shopper);
              } finally {
                idleShoppers.giveBack(shopper);
              }
            });
  }

  private void visitAs(Shopper shopper) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String token = tokens.of(shopper);
    List<String> chosen = new ArrayList<>(products);
    java.util.Collections.shuffle(chosen, random);
    int lines = 1 + random.nextInt(Math.min(5, chosen.size()));
    String cartId = null;
    for (String productId : chosen.subList(0, lines)) {
      think();
      int quantity = 1 + random.nextInt(3);
      var product = client.call("view_product", "GET", "/products/" + productId, null);
      if (product.ok() && product.body().path("available").asInt() < quantity) {
        giveUp(cartId, token, "gave up: out of stock");
        return;
      }
      if (cartId == null) {
        // The cart opens with the first product the shopper chose: one request, one write.
        cartId = openCart(token, productId, quantity);
        if (cartId == null) {
          return;
        }
      } else {
        addItem(cartId, token, productId, quantity);
      }
    }
    think();
    String method = PAYMENT_METHODS.get(random.nextInt(PAYMENT_METHODS.size()));
    // Safe to repeat on another node: a cart answers every checkout with the same order id.
    var checkout =
        client.call(
            "checkout",
            "POST",
            "/carts/" + cartId + "/checkout",
            NodeHttp.json("paymentMethod", method),
            token);
    if (!checkout.ok()) {
      stats.outcome("checkout refused (" + checkout.status() + ")");
      return;
    }
    String orderId = checkout.text("orderId");
    onOrderAcknowledged.accept(new OrderEnd(shopper, orderId, cartId, "acknowledged", null, null));
    OrderEnd end = awaitEnd(shopper, token, orderId, cartId);
    stats.outcome("order " + end.status() + causeOf(end));
    onOrderEnded.accept(end);
  }

  /**
   * Adds a line under an Idempotency-Key of its own: a retry after no answer or a 503, on this node
   * or another, cannot add the units twice.
   */
  private void addItem(String cartId, String token, String productId, int quantity) {
    client.call(
        "add_item",
        "POST",
        "/carts/" + cartId + "/items",
        NodeHttp.json("productId", productId, "quantity", quantity),
        token,
        UUID.randomUUID().toString());
  }

  /** Waits for the order's end with the API's long poll: one request, answered when it ends. */
  private OrderEnd awaitEnd(Shopper shopper, String token, String orderId, String cartId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var order =
          client.call(
              "await_order", "GET", "/orders/" + orderId + "?waitFor=end&timeout=5s", null, token);
      if (order.ok() && ENDED.contains(order.text("status"))) {
        return new OrderEnd(
            shopper,
            orderId,
            cartId,
            order.text("status"),
            textOrNull(order.body().path("cancelCause")),
            textOrNull(order.body().path("cancelReason")));
      }
      if (!order.ok()) {
        sleep(100);
      }
    }
    return new OrderEnd(shopper, orderId, cartId, "unfinished after 30 s", null, null);
  }

  /**
   * The cart's id, or null (with the outcome noted) when it could not be opened. The shopper's cart
   * left active by a visit that broke off is answered instead of a new one (200): the product is
   * added to it.
   */
  private String openCart(String token, String productId, int quantity) {
    var cart =
        client.call(
            "open_cart",
            "POST",
            "/carts",
            NodeHttp.json("items", List.of(Map.of("productId", productId, "quantity", quantity))),
            token,
            // A repeat reaches the same cart instead of opening a second one.
            UUID.randomUUID().toString());
    if (!cart.ok()) {
      stats.outcome("cart not opened (" + cart.status() + ")");
      return null;
    }
    String cartId = cart.text("cartId");
    if (cart.status() == 200) {
      addItem(cartId, token, productId, quantity);
    }
    return cartId;
  }

  /** Ends the visit; a cart already opened is given up. */
  private void giveUp(String cartId, String token, String why) {
    if (cartId != null) {
      client.call("cancel_cart", "DELETE", "/carts/" + cartId, null, token);
    }
    stats.outcome(why);
  }

  private static String textOrNull(JsonNode field) {
    return field.isMissingNode() || field.isNull() ? null : field.asText();
  }

  /** The outcome's kind, e.g. " (out of stock)": the cause, or the reason from a shop without. */
  private static String causeOf(OrderEnd end) {
    if (end.cause() != null) {
      return " (" + end.cause().replace('_', ' ') + ")";
    }
    return end.reason() == null ? "" : " (" + end.reason() + ")";
  }

  private void think() {
    if (!thinkTime.isZero()) {
      sleep(ThreadLocalRandom.current().nextLong(thinkTime.toMillis() + 1));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShopClient.Unavailable("interrupted");
    }
  }
}
