package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import catalog.SampleCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * A user has one active cart: opening another while it is active answers it (200), after its end a
 * new one opens, opens at once end with one cart, and GET /users/{id}/cart shows it to the user and
 * the operators.
 */
class ActiveCartHttpTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;
  private static String product;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
    product = SampleCatalog.products().get(3).productId();
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static Api.Response open(String userId, String body) {
    return api.as(api.tokenOf(userId)).post("/carts", body);
  }

  private static String withOneUnit() {
    return "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}";
  }

  @Test
  void openingAgainAnswersTheActiveCartAsItIs() {
    String user = shopper.newUser("us-west");
    String cartId = shopper.openCart(user);

    var again = open(user, withOneUnit());
    assertEquals(200, again.status(), again.toString());
    assertEquals(cartId, again.text("cartId"));
    assertEquals(0, again.body().path("items").size(), "the body's lines are not added");
    assertEquals(cartId, api.get("/users/" + user + "/cart").text("cartId"));
  }

  @Test
  void afterCheckoutOrGivingUpANewCartOpens() {
    String user = shopper.newUser("us-east");
    String checkedOut = shopper.openCartWith(user, product, 1);
    shopper.checkout(checkedOut, "paypal");
    String next = shopper.openCart(user);
    assertNotEquals(checkedOut, next);

    assertEquals(200, api.delete("/carts/" + next).status());
    assertEquals(404, api.get("/users/" + user + "/cart").status(), "given up: none active");
    String third = shopper.openCart(user);
    assertNotEquals(next, third);
    assertEquals(third, api.get("/users/" + user + "/cart").text("cartId"));
  }

  @Test
  void opensAtOnceEndWithOneCart() {
    String user = shopper.newUser("us-central");
    Api asUser = api.as(api.tokenOf(user));
    List<CompletableFuture<Api.Response>> opens = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      opens.add(asUser.postAsync("/carts", withOneUnit()));
    }
    List<Integer> statuses = new ArrayList<>();
    List<String> carts = new ArrayList<>();
    for (CompletableFuture<Api.Response> open : opens) {
      Api.Response response = open.join();
      statuses.add(response.status());
      carts.add(response.text("cartId"));
    }
    assertEquals(1, statuses.stream().filter(s -> s == 201).count(), "one opened: " + statuses);
    assertEquals(7, statuses.stream().filter(s -> s == 200).count(), "the rest: " + statuses);
    assertEquals(1, carts.stream().distinct().count(), "one cart: " + carts);
    var active = api.as(api.tokenOf(user)).get("/users/" + user + "/cart");
    assertEquals(carts.get(0), active.text("cartId"));
    assertEquals(1, active.body().path("items").path(0).path("quantity").asInt(), "opened once");
  }

  @Test
  void theActiveCartIsTheUsersAndTheOperatorsToSee() {
    String user = shopper.newUser("us-west");
    String path = "/users/" + user + "/cart";
    Api self = api.as(api.tokenOf(user));
    assertProblem(404, self.get(path), "no cart yet");

    String cartId = shopper.openCart(user);
    assertEquals(cartId, self.get(path).text("cartId"));
    assertEquals("active", self.get(path).text("status"));
    assertEquals(cartId, api.asOperator().get(path).text("cartId"));
    String stranger = shopper.newUser("us-west");
    assertProblem(404, api.as(api.tokenOf(stranger)).get(path), "another shopper's");
    assertEquals(401, api.anonymous().get(path).status());
    assertProblem(
        404, api.asOperator().get("/users/" + UUID.randomUUID() + "/cart"), "no such user");
  }

  @Test
  void theActiveCartIsKnownAfterTheNodeRestarts() {
    String user = shopper.newUser("us-east");
    String cartId = shopper.openCart(user);
    node.close();
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);

    var again = open(user, "{}");
    assertEquals(200, again.status(), again.toString());
    assertEquals(cartId, again.text("cartId"));
  }

  private static void assertProblem(int status, Api.Response response, String what) {
    assertEquals(status, response.status(), what + ": " + response);
    assertEquals("application/problem+json", response.contentType(), what);
  }
}
