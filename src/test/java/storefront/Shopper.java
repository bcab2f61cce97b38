package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.UUID;

/** The steps a shopper takes through the API, asserting each one succeeded. */
public final class Shopper {
  private final Api api;

  public Shopper(Api api) {
    this.api = api;
  }

  public String newUser(String region) {
    String email = "shopper-" + UUID.randomUUID() + "@example.com";
    var response =
        api.post(
            "/users",
            "{\"name\":\"Test Shopper\",\"email\":\""
                + email
                + "\",\"region\":\""
                + region
                + "\"}");
    assertEquals(201, response.status(), response.toString());
    return response.text("userId");
  }

  public String openCart(String userId) {
    var response = api.post("/carts", "{\"userId\":\"" + userId + "\"}");
    assertEquals(201, response.status(), response.toString());
    return response.text("cartId");
  }

  /** Opens a cart with its first line in the same request. */
  public String openCartWith(String userId, String productId, int quantity) {
    var response =
        api.post(
            "/carts",
            "{\"userId\":\""
                + userId
                + "\",\"items\":[{\"productId\":\""
                + productId
                + "\",\"quantity\":"
                + quantity
                + "}]}");
    assertEquals(201, response.status(), response.toString());
    assertEquals(quantity, response.body().path("items").path(0).path("quantity").asInt());
    return response.text("cartId");
  }

  public void add(String cartId, String productId, int quantity) {
    var response =
        api.post(
            "/carts/" + cartId + "/items",
            "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}");
    assertEquals(200, response.status(), response.toString());
  }

  public String checkout(String cartId, String paymentMethod) {
    var response =
        api.post("/carts/" + cartId + "/checkout", "{\"paymentMethod\":\"" + paymentMethod + "\"}");
    assertEquals(200, response.status(), response.toString());
    return response.text("orderId");
  }

  /** Polls the order until it is completed or canceled, and returns it. */
  public Api.Response awaitEnded(String orderId) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      var order = api.get("/orders/" + orderId + "?waitFor=end&timeout=5s");
      if (order.status() == 200 && Set.of("completed", "canceled").contains(order.text("status"))) {
        return order;
      }
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("order " + orderId + " did not end: " + order);
      }
      if (order.status() != 200) {
        sleep(50);
      }
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
