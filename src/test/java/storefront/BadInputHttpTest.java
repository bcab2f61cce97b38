package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import catalog.SampleCatalog;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/** Every kind of bad input answers problem+json with a truthful status and changes nothing. */
class BadInputHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;
  private static String product;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
    product = SampleCatalog.products().get(1).productId();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static void assertProblem(int status, Api.Response response) {
    assertEquals(status, response.status(), response.toString());
    assertEquals("application/problem+json", response.contentType(), response.toString());
    assertEquals(status, response.body().path("status").asInt());
    assertTrue(!response.body().path("detail").asText().isEmpty(), "a problem says why");
  }

  /** Sends a bad request to a cart and checks that the cart is exactly as before. */
  private static void assertRefusedAndUnchanged(
      String cartId, int status, java.util.function.Supplier<Api.Response> request) {
    JsonNode before = api.get("/carts/" + cartId).body();
    assertProblem(status, request.get());
    assertEquals(before, api.get("/carts/" + cartId).body(), "the cart did not change");
  }

  private static String cartWithOneLine() {
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(cartId, product, 1);
    return cartId;
  }

  private static Api.Response addItem(String cartId, String body) {
    return api.post("/carts/" + cartId + "/items", body);
  }

  @Test
  void requestsTheServerCannotParseAreProblemsToo() {
    assertProblem(414, api.get("/products?q=" + "x".repeat(3_000)));
    assertProblem(
        431,
        api.send(api.builder("/products").header("X-Padding", "y".repeat(10_000)).GET().build()));
  }

  @Test
  void malformedJsonUnknownFieldsAndWrongTypesAre400() {
    String cartId = cartWithOneLine();
    assertRefusedAndUnchanged(cartId, 400, () -> addItem(cartId, "{\"productId\": "));
    assertRefusedAndUnchanged(
        cartId,
        400,
        () -> addItem(cartId, "{\"productId\":\"" + product + "\",\"quantity\":1,\"color\":1}"));
    assertRefusedAndUnchanged(
        cartId,
        400,
        () -> addItem(cartId, "{\"productId\":\"" + product + "\",\"quantity\":\"2\"}"));
    assertRefusedAndUnchanged(
        cartId, 400, () -> addItem(cartId, "{\"productId\":\"" + product + "\",\"quantity\":1.5}"));
    assertRefusedAndUnchanged(cartId, 400, () -> addItem(cartId, "[1,2]"));
    assertRefusedAndUnchanged(cartId, 400, () -> addItem(cartId, ""));
  }

  @Test
  void invalidValuesAre422() {
    String cartId = cartWithOneLine();
    for (String quantity : new String[] {"0", "-1", "11", "99999999999", "-2147483648"}) {
      assertRefusedAndUnchanged(
          cartId,
          422,
          () ->
              addItem(cartId, "{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}"));
    }
    assertRefusedAndUnchanged(
        cartId, 422, () -> addItem(cartId, "{\"productId\":\"" + product + "\"}"));
    assertRefusedAndUnchanged(
        cartId, 422, () -> addItem(cartId, "{\"productId\":\"not-a-uuid\",\"quantity\":1}"));
    assertRefusedAndUnchanged(
        cartId, 422, () -> api.put("/carts/" + cartId + "/items/" + product, "{\"quantity\":0}"));
    assertRefusedAndUnchanged(
        cartId,
        422,
        () -> api.post("/carts/" + cartId + "/checkout", "{\"paymentMethod\":\"cash\"}"));
  }

  @Test
  void aCartOpenedWithBadItemsIsRefusedAndNothingIsWritten() {
    String user = shopper.newUser("us-west");
    long opened = cartsOpened();
    String line = "{\"productId\":\"" + product + "\",\"quantity\":1}";
    String unknown = "{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}";
    assertProblem(404, openCart(user, "[" + line + "," + unknown + "]"));
    assertProblem(422, openCart(user, "[" + line + "," + line + "]"));
    assertProblem(422, openCart(user, "[{\"productId\":\"" + product + "\",\"quantity\":0}]"));
    assertProblem(422, openCart(user, "[{\"productId\":\"" + product + "\"}]"));
    assertProblem(422, openCart(user, "[null]"));
    assertProblem(400, openCart(user, "[{\"productId\":\"" + product + "\",\"size\":1}]"));
    assertProblem(400, openCart(user, "{\"productId\":\"" + product + "\"}"));
    assertEquals(opened, cartsOpened(), "no cart was opened");
  }

  private static Api.Response openCart(String userId, String items) {
    return api.as(api.tokenOf(userId)).post("/carts", "{\"items\":" + items + "}");
  }

  private static long cartsOpened() {
    return ReadSide.count(
        node.system(),
        "SELECT count(*) FROM event_journal WHERE event_ser_manifest = 'cart.ShoppingCart$CartOpened'");
  }

  @Test
  void badWaitsForAnOrderAre422() {
    Api api = BadInputHttpTest.api.asOperator();
    String order = "/orders/" + UUID.randomUUID();
    assertProblem(422, api.get(order + "?waitFor=paid"));
    assertProblem(422, api.get(order + "?waitFor=end&timeout=soon"));
    assertProblem(422, api.get(order + "?waitFor=end&timeout=16s"));
    assertProblem(422, api.get(order + "?waitFor=end&timeout=0s"));
    assertProblem(422, api.get(order + "?waitFor=end&timeout=-1s"));
    assertProblem(422, api.get(order + "?timeout=1s"));
  }

  @Test
  void unknownIdsAre404() {
    String unknown = UUID.randomUUID().toString();
    Api signedIn = api.as(api.tokenOf(shopper.newUser("us-west")));
    Api operator = api.asOperator();
    assertProblem(404, signedIn.get("/carts/" + unknown));
    assertProblem(404, operator.get("/orders/" + unknown));
    assertProblem(404, operator.get("/orders/" + unknown + "?waitFor=end&timeout=1s"));
    assertProblem(404, operator.get("/users/" + unknown));
    assertProblem(404, api.get("/products/" + unknown));
    assertProblem(404, api.get("/inventory/" + unknown));
    assertProblem(404, signedIn.get("/carts/not-a-uuid"));
    assertProblem(404, api.get("/no-such-resource"));
    assertProblem(
        404,
        signedIn.post(
            "/carts/" + unknown + "/items", "{\"productId\":\"" + product + "\",\"quantity\":1}"));
    String cartId = cartWithOneLine();
    assertRefusedAndUnchanged(
        cartId, 404, () -> addItem(cartId, "{\"productId\":\"" + unknown + "\",\"quantity\":1}"));
    assertRefusedAndUnchanged(
        cartId, 404, () -> api.delete("/carts/" + cartId + "/items/" + unknown));
  }

  @Test
  void changingACartThatIsNoLongerActiveIs409() {
    String cartId = cartWithOneLine();
    String orderId = shopper.checkout(cartId, "paypal");
    shopper.awaitEnded(orderId);
    String other = SampleCatalog.products().get(2).productId();
    assertRefusedAndUnchanged(
        cartId, 409, () -> addItem(cartId, "{\"productId\":\"" + other + "\",\"quantity\":1}"));
    assertRefusedAndUnchanged(
        cartId, 409, () -> api.put("/carts/" + cartId + "/items/" + product, "{\"quantity\":2}"));
    assertRefusedAndUnchanged(
        cartId, 409, () -> api.delete("/carts/" + cartId + "/items/" + product));
    assertRefusedAndUnchanged(cartId, 409, () -> api.delete("/carts/" + cartId));

    String empty = shopper.openCart(shopper.newUser("us-east"));
    assertRefusedAndUnchanged(
        empty,
        409,
        () -> api.post("/carts/" + empty + "/checkout", "{\"paymentMethod\":\"paypal\"}"));
  }

  @Test
  void oversizedBodiesAre413AndOtherMediaTypesAre415() {
    String cartId = cartWithOneLine();
    String huge = "{\"productId\":\"" + "x".repeat(40_000) + "\",\"quantity\":1}";
    assertRefusedAndUnchanged(cartId, 413, () -> addItem(cartId, huge));
    assertRefusedAndUnchanged(
        cartId,
        415,
        () ->
            api.send(
                api.builder("/carts/" + cartId + "/items")
                    .header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("productId=" + product))
                    .build()));
  }

  @Test
  void usersAreValidatedAndEmailsAreUnique() {
    assertProblem(
        422,
        api.post("/users", "{\"name\":\"A\",\"email\":\"not-an-email\",\"region\":\"us-west\"}"));
    assertProblem(
        422, api.post("/users", "{\"name\":\"A\",\"email\":\"a@b.example\",\"region\":\"mars\"}"));
    assertProblem(422, api.post("/users", "{\"email\":\"a@b.example\",\"region\":\"us-west\"}"));
    String email = "unique-" + UUID.randomUUID() + "@example.com";
    String noPassword = "{\"name\":\"A\",\"email\":\"" + email + "\",\"region\":\"us-west\"";
    assertProblem(422, api.post("/users", noPassword + "}"));
    assertProblem(422, api.post("/users", noPassword + ",\"password\":\"too-short\"}"));
    String body = noPassword + ",\"password\":\"" + TestNode.PASSWORD + "\"}";
    assertEquals(201, api.post("/users", body).status());
    assertProblem(409, api.post("/users", body));
  }

  @Test
  void restockNeedsTheAdminTokenAndAValidQuantity() {
    String path = "/admin/products/" + product + "/restock";
    int before = api.get("/inventory/" + product).body().path("received").asInt();
    assertProblem(401, api.post(path, "{\"warehouse\":\"Seattle, WA\",\"quantity\":5}"));
    assertProblem(
        401, restock(path, "Bearer wrong", "{\"warehouse\":\"Seattle, WA\",\"quantity\":5}"));
    String operator = "Bearer " + TestNode.ADMIN_TOKEN;
    assertProblem(422, restock(path, operator, "{\"warehouse\":\"Seattle, WA\",\"quantity\":0}"));
    assertProblem(422, restock(path, operator, "{\"warehouse\":\"Atlantis\",\"quantity\":5}"));
    assertEquals(before, api.get("/inventory/" + product).body().path("received").asInt());
  }

  @Test
  void listingParametersAreValidated() {
    assertProblem(422, api.get("/products?size=0"));
    assertProblem(422, api.get("/products?size=1000"));
    assertProblem(422, api.get("/products?page=-1"));
    assertProblem(400, api.get("/products?page=abc"));
    assertEquals(0, api.get("/products?q=no-such-product-name").body().path("total").asInt());
  }

  private static Api.Response restock(String path, String authorization, String body) {
    return api.send(
        api.builder(path)
            .header("Content-Type", "application/json")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
