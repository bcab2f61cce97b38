package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import auth.Tokens;
import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * Who may do what: a shopper sees and changes only their own user, carts and orders (anyone else's
 * answer 404, as if they did not exist); operator routes need the admin token; a token that is
 * forged, expired or missing proves nothing.
 */
class AccessHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;
  private static String product;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
    product = SampleCatalog.products().get(4).productId();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static void assertStatus(int status, Api.Response response) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/problem+json", response.contentType(), response.toString());
  }

  @Test
  void aShopperCannotSeeOrChangeAnotherShoppersCartOrderOrUser() {
    String owner = shopper.newUser("us-west");
    String cartId = shopper.openCartWith(owner, product, 1);
    JsonNode before = api.get("/carts/" + cartId).body();
    Api stranger = api.as(api.tokenOf(shopper.newUser("us-west")));

    String cart = "/carts/" + cartId;
    assertStatus(404, stranger.get(cart));
    assertStatus(
        404, stranger.post(cart + "/items", "{\"productId\":\"" + product + "\",\"quantity\":1}"));
    assertStatus(404, stranger.put(cart + "/items/" + product, "{\"quantity\":5}"));
    assertStatus(404, stranger.delete(cart + "/items/" + product));
    assertStatus(404, stranger.post(cart + "/checkout", "{\"paymentMethod\":\"paypal\"}"));
    assertStatus(404, stranger.delete(cart));
    assertEquals(before, api.get(cart).body(), "the owner's cart did not change");

    String orderId = shopper.checkout(cartId, "paypal");
    shopper.awaitEnded(orderId);
    assertStatus(404, stranger.get("/orders/" + orderId));
    assertStatus(404, stranger.get("/orders/" + orderId + "?waitFor=end&timeout=1s"));
    assertStatus(404, stranger.get("/users/" + owner));
    assertStatus(404, stranger.get("/users/" + owner + "/orders"));

    assertEquals(owner, api.get("/users/" + owner).text("userId"), "the owner sees themself");
    Api operator = api.asOperator();
    assertEquals(owner, operator.get("/orders/" + orderId).text("userId"));
    assertEquals(200, operator.get("/users/" + owner).status());
  }

  @Test
  void withoutAValidTokenNothingIsShownOrChanged() {
    String owner = shopper.newUser("us-east");
    String cartId = shopper.openCart(owner);
    Api anonymous = api.anonymous();
    var refused = anonymous.get("/carts/" + cartId);
    assertStatus(401, refused);
    assertStatus(401, anonymous.post("/carts", "{}"));
    assertStatus(401, anonymous.get("/users/" + owner));
    assertStatus(401, anonymous.delete("/carts/" + cartId));

    Tokens otherKey =
        new Tokens(bytes("another-secret-of-at-least-32-bytes!!"), Duration.ofHours(1));
    assertStatus(401, api.as(otherKey.issue(owner).token()).get("/carts/" + cartId));
    Tokens sameKey = new Tokens(bytes(TestNode.TOKEN_SECRET), Duration.ofMinutes(-5));
    assertStatus(401, api.as(sameKey.issue(owner).token()).get("/carts/" + cartId));
    String token = api.tokenOf(owner);
    String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "BB" : "AA");
    assertStatus(401, api.as(tampered).get("/carts/" + cartId));
    assertEquals("active", api.get("/carts/" + cartId).text("status"), "still the owner's");
  }

  @Test
  void operatorRoutesNeedTheAdminToken() {
    Api shopperApi = api.as(api.tokenOf(shopper.newUser("us-central")));
    String restock = "/admin/products/" + product + "/restock";
    String body = "{\"warehouse\":\"Seattle, WA\",\"quantity\":5}";
    for (Api caller : List.of(api.anonymous(), shopperApi, api.as("not-the-admin-token"))) {
      int expected = caller == shopperApi ? 403 : 401;
      assertStatus(expected, caller.get("/users"));
      assertStatus(expected, caller.get("/projections"));
      assertStatus(expected, caller.get("/metrics"));
      assertStatus(expected, caller.get("/analytics/funnel"));
      assertStatus(expected, caller.post(restock, body));
    }
    Api operator = api.asOperator();
    assertEquals(200, operator.get("/users?size=1").status());
    assertEquals(200, operator.get("/projections").status());
    assertEquals(200, operator.get("/metrics").status());
    assertEquals(200, operator.get("/analytics/funnel").status());
    assertStatus(403, operator.post("/carts", "{}"));
  }

  @Test
  void signingInAnswersATokenOnlyForTheRightPassword() {
    String email = "sign-in-" + UUID.randomUUID() + "@example.com";
    var registered =
        api.post(
            "/users",
            "{\"name\":\"Ada\",\"email\":\""
                + email
                + "\",\"password\":\""
                + TestNode.PASSWORD
                + "\",\"region\":\"us-west\"}");
    assertEquals(201, registered.status(), registered.toString());
    String userId = registered.text("userId");
    assertEquals('4', userId.charAt(14), "user ids are random (UUID version 4): " + userId);

    var wrong = signIn(email, TestNode.PASSWORD + "x");
    var unknown = signIn("nobody-" + email, TestNode.PASSWORD);
    assertStatus(401, wrong);
    assertStatus(401, unknown);
    assertEquals(
        wrong.body().path("detail"), unknown.body().path("detail"), "no hint which was wrong");

    var signedIn = signIn(email.toUpperCase(), TestNode.PASSWORD);
    assertEquals(200, signedIn.status(), signedIn.toString());
    assertEquals(userId, signedIn.text("userId"));
    assertNotEquals(registered.text("token"), signedIn.text("token"));
    var cart = api.as(signedIn.text("token")).post("/carts", "{}");
    assertEquals(201, cart.status(), cart.toString());
    assertEquals(userId, cart.text("userId"), "the cart is the signed-in user's");
    assertStatus(
        400, api.as(signedIn.text("token")).post("/carts", "{\"userId\":\"" + userId + "\"}"));
    assertTrue(registered.body().path("password").isMissingNode(), "no password in answers");
  }

  private static Api.Response signIn(String email, String password) {
    return api.post("/sessions", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
