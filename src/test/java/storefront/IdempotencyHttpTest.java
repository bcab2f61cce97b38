package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import catalog.SampleCatalog;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * Every change accepts an Idempotency-Key: the same key and request answer as the first time did
 * and change nothing more; the same key with another request is refused (422) and changes nothing.
 */
class IdempotencyHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;
  private static String product;
  private static String other;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
    product = SampleCatalog.products().get(5).productId();
    other = SampleCatalog.products().get(6).productId();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static Api.Response keyed(String method, String path, String key, String json) {
    HttpRequest.Builder request = api.builder(path).header("Idempotency-Key", key);
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return api.send(request.build());
  }

  private static String item(String productId, int quantity) {
    return "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}";
  }

  private static int quantity(String cartId, int line) {
    return api.get("/carts/" + cartId).body().path("items").path(line).path("quantity").asInt();
  }

  @Test
  void aRetriedAddAddsOnceAndTheKeyWithAnotherBodyIsRefused() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    String key = UUID.randomUUID().toString();
    String items = "/carts/" + cartId + "/items";
    var first = keyed("POST", items, key, item(product, 2));
    var repeat = keyed("POST", items, key, item(product, 2));
    assertEquals(200, first.status(), first.toString());
    assertEquals(200, repeat.status(), repeat.toString());
    assertEquals(first.body(), repeat.body(), "the repeat answers as the first did");
    assertEquals(2, quantity(cartId, 0), "added once");

    var reused = keyed("POST", items, key, item(product, 3));
    assertEquals(422, reused.status(), reused.toString());
    assertEquals("application/problem+json", reused.contentType());
    assertEquals(2, quantity(cartId, 0), "nothing changed");
    assertEquals(
        200, keyed("POST", items, UUID.randomUUID().toString(), item(product, 1)).status());
    assertEquals(3, quantity(cartId, 0), "a new key is a new add");
  }

  @Test
  void aRetriedOpenReachesTheSameCart() {
    String user = shopper.newUser("us-east");
    Api asUser = api.as(api.tokenOf(user));
    String key = UUID.randomUUID().toString();
    String body = "{\"items\":[" + item(product, 1) + "]}";
    var first = asUser.send(keyedOpen(asUser, key, body));
    var repeat = asUser.send(keyedOpen(asUser, key, body));
    assertEquals(201, first.status(), first.toString());
    assertEquals(201, repeat.status(), repeat.toString());
    assertEquals(first.text("cartId"), repeat.text("cartId"), "one cart, not two");
    assertEquals(1, repeat.body().path("items").path(0).path("quantity").asInt());

    var reused = asUser.send(keyedOpen(asUser, key, "{\"items\":[" + item(other, 1) + "]}"));
    assertEquals(422, reused.status(), reused.toString());
    var stranger = api.as(api.tokenOf(shopper.newUser("us-east")));
    var sameKeyOtherShopper = stranger.send(keyedOpen(stranger, key, body));
    assertEquals(201, sameKeyOtherShopper.status(), "keys are each shopper's own");
    assertEquals(
        false, first.text("cartId").equals(sameKeyOtherShopper.text("cartId")), "another cart");
  }

  private static HttpRequest keyedOpen(Api as, String key, String body) {
    return as.builder("/carts")
        .header("Idempotency-Key", key)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  @Test
  void repeatedRemovalsCancelsAndCheckoutsAnswerTheFirstOutcome() {
    String cartId = shopper.openCartWith(shopper.newUser("us-central"), product, 1);
    shopper.add(cartId, other, 1);
    String line = "/carts/" + cartId + "/items/" + other;
    String removal = UUID.randomUUID().toString();
    assertEquals(200, keyed("DELETE", line, removal, null).status());
    assertEquals(200, keyed("DELETE", line, removal, null).status(), "not 404 the second time");
    assertEquals(404, api.delete(line).status(), "without the key: not in the cart");

    String checkout = UUID.randomUUID().toString();
    String path = "/carts/" + cartId + "/checkout";
    var first = keyed("POST", path, checkout, "{\"paymentMethod\":\"paypal\"}");
    var repeat = keyed("POST", path, checkout, "{\"paymentMethod\":\"paypal\"}");
    assertEquals(200, first.status(), first.toString());
    assertEquals(first.text("orderId"), repeat.text("orderId"));
    assertEquals(
        422, keyed("POST", path, checkout, "{\"paymentMethod\":\"credit card\"}").status());

    String givenUp = shopper.openCart(shopper.newUser("us-central"));
    String cancel = UUID.randomUUID().toString();
    assertEquals(200, keyed("DELETE", "/carts/" + givenUp, cancel, null).status());
    assertEquals(200, keyed("DELETE", "/carts/" + givenUp, cancel, null).status());
    assertEquals(409, api.delete("/carts/" + givenUp).status(), "without the key: not active");
  }

  @Test
  void aRetriedRestockCountsOnceAndTheKeyWithAnotherBodyIsRefused() {
    String restock = "/admin/products/" + product + "/restock";
    Api operator = api.asOperator();
    int before = operator.get("/inventory/" + product).body().path("received").asInt();
    String key = UUID.randomUUID().toString();
    String body = "{\"warehouse\":\"Seattle, WA\",\"quantity\":7}";
    for (int i = 0; i < 2; i++) {
      var answer =
          operator.send(
              operator
                  .builder(restock)
                  .header("Idempotency-Key", key)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertEquals(200, answer.status(), answer.toString());
    }
    var reused =
        operator.send(
            operator
                .builder(restock)
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"warehouse\":\"Seattle, WA\",\"quantity\":8}"))
                .build());
    assertEquals(422, reused.status(), reused.toString());
    assertEquals(before + 7, operator.get("/inventory/" + product).body().path("received").asInt());
  }

  @Test
  void aRetriedRegistrationAnswersTheSameUser() {
    String key = UUID.randomUUID().toString();
    String email = "keyed-" + UUID.randomUUID() + "@example.com";
    String body =
        "{\"name\":\"Ada\",\"email\":\""
            + email
            + "\",\"password\":\""
            + TestNode.PASSWORD
            + "\",\"region\":\"us-west\"}";
    var first = keyed("POST", "/users", key, body);
    var repeat = keyed("POST", "/users", key, body);
    assertEquals(201, first.status(), first.toString());
    assertEquals(201, repeat.status(), repeat.toString());
    assertEquals(first.text("userId"), repeat.text("userId"));
    assertEquals(409, api.post("/users", body).status(), "without the key: the email exists");
    assertEquals(422, keyed("POST", "/users", key, body.replace("\"Ada\"", "\"Grace\"")).status());
    assertEquals(
        422,
        keyed("POST", "/users", key, body.replace(TestNode.PASSWORD, TestNode.PASSWORD + "!"))
            .status(),
        "nor with another password");
  }

  @Test
  void aMalformedKeyIsRefused() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    var answer = keyed("POST", "/carts/" + cartId + "/items", "", item(product, 1));
    assertEquals(400, answer.status(), answer.toString());
    var tooLong = keyed("POST", "/carts/" + cartId + "/items", "k".repeat(256), item(product, 1));
    assertEquals(400, tooLong.status(), tooLong.toString());
    assertEquals(0, api.get("/carts/" + cartId).body().path("items").size(), "nothing added");
  }
}
