package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The steps a shopper takes through the API, asserting each one succeeded. */
public final class Shopper {
  private final Api api;
  private final String password;

  public Shopper(Api api) {
    this(api, TestNode.PASSWORD);
  }

  /** Registers users with this password (a cluster's, for its workload to sign them in). */
  public Shopper(Api api, String password) {
    this.api = api;
    this.password = password;
  }

  /** Registers a user; the API client then calls as them wherever their ids are in the path. */
  public String newUser(String region) {
    String email = "shopper-" + UUID.randomUUID() + "@example.com";
    var response =
        api.post(
            "/users",
            "{\"name\":\"Test Shopper\",\"email\":\""
                + email
                + "\",\"password\":\""
                + password
                + "\",\"region\":\""
                + region
                + "\"}");
    assertEquals(201, response.status(), response.toString());
    String userId = response.text("userId");
    api.owns(userId, response.text("token"));
    return userId;
  }

  public String openCart(String userId) {
    var response = api.as(api.tokenOf(userId)).post("/carts", "{}");
    assertEquals(201, response.status(), response.toString());
    return owned(userId, response.text("cartId"));
  }

  /** An id of the user's, from now on asked for with their token. */
  private String owned(String ownerId, String id) {
    api.owns(id, api.tokenOf(ownerId));
    return id;
  }

  /** Opens a cart with its first line in the same request. */
  public String openCartWith(String userId, String productId, int quantity) {
    var response =
        api.as(api.tokenOf(userId))
            .post(
                "/carts",
                "{\"items\":[{\"productId\":\""
                    + productId
                    + "\",\"quantity\":"
                    + quantity
                    + "}]}");
    assertEquals(201, response.status(), response.toString());
    assertEquals(quantity, response.body().path("items").path(0).path("quantity").asInt());
    return owned(userId, response.text("cartId"));
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
    return owned(cartId, response.text("orderId"));
  }

  /** Checks out without waiting; the order, once answered, is asked for with the cart's token. */
  public CompletableFuture<Api.Response> checkoutAsync(String cartId, String paymentMethod) {
    return api.postAsync(
            "/carts/" + cartId + "/checkout", "{\"paymentMethod\":\"" + paymentMethod + "\"}")
        .thenApply(
            response -> {
              if (response.status() == 200) {
                owned(cartId, response.text("orderId"));
              }
              return response;
            });
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
