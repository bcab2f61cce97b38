package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import auth.Tokens;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * 10,000 hostile requests (random methods, paths, ids, headers, tokens and bodies, oversized ones
 * among them; seeded, so a failure repeats) against a running node: none answers 5xx, every error
 * is problem+json without a stack trace, and another shopper's cart and order and the stock of the
 * product the requests name are exactly as before.
 */
class HostileInputHttpTest {
  /** storefront.http.max-body-bytes, as the tests' node has it. */
  private static final int MAX_BODY_BYTES = 16_384;

  private static final int REQUESTS = 10_000;
  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD");

  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void tenThousandHostileRequestsChangeNothingAndAnswerProblems() throws Exception {
    String victim = shopper.newUser("us-west");
    // A product of its own: other tests' unfinished orders may still move the sample stock.
    String product = Admin.newProduct(node);
    Admin.restock(api, product, "Seattle, WA", 50);
    String cartId = shopper.openCartWith(victim, product, 1);
    String orderId = shopper.checkout(cartId, "paypal");
    shopper.awaitEnded(orderId);
    String openCart = shopper.openCartWith(victim, product, 2);
    ReadSide.awaitCaughtUp(api);
    Map<String, JsonNode> before = state(victim, orderId, openCart, product);

    String attacker = shopper.newUser("us-west");
    List<String> tokens =
        List.of(
            "",
            "Bearer ",
            "Bearer garbage",
            "Basic YWRtaW46YWRtaW4=",
            "Bearer " + api.tokenOf(attacker),
            "Bearer "
                + new Tokens(
                        "someone-elses-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8),
                        Duration.ofHours(1))
                    .issue(victim)
                    .token(),
            "Bearer "
                + new Tokens(
                        TestNode.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8),
                        Duration.ofMinutes(-10))
                    .issue(victim)
                    .token(),
            "Bearer " + "x".repeat(9_000));
    List<String> ids =
        List.of(
            victim,
            cartId,
            openCart,
            orderId,
            product,
            UUID.randomUUID().toString(),
            "not-a-uuid",
            "00000000-0000-0000-0000-000000000000",
            "%00",
            "..%2F..%2Fetc%2Fpasswd",
            "'; DROP TABLE users; --",
            "x".repeat(3_000));
    List<String> paths =
        List.of(
            "/carts",
            "/carts/{id}",
            "/carts/{id}/items",
            "/carts/{id}/items/{id}",
            "/carts/{id}/checkout",
            "/orders/{id}",
            "/orders/{id}?waitFor=end&timeout=1ms",
            "/users",
            "/users/{id}",
            "/users/{id}/orders",
            "/sessions",
            "/products?size={id}&page=-1",
            "/products/{id}",
            "/inventory/{id}",
            "/admin/products/{id}/restock",
            "/analytics/abandoned-carts?idleMinutes={id}",
            "/projections",
            "/{id}");
    List<String> bodies =
        List.of(
            "",
            "{",
            "null",
            "[]",
            "\"text\"",
            "{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}",
            "{\"productId\":\"" + product + "\",\"quantity\":99999999999999999999}",
            "{\"productId\":\"" + product + "\",\"quantity\":-1}",
            "{\"productId\":null,\"quantity\":\"1\"}",
            "{\"quantity\":1.5}",
            "{\"paymentMethod\":\"" + "\u0000".repeat(10) + "\"}",
            "{\"items\":[{\"productId\":\"" + UUID.randomUUID() + "\",\"quantity\":1}]}",
            "{\"email\":\"a@b.c\",\"password\":\"" + "p".repeat(500) + "\"}",
            "{\"warehouse\":\"Seattle, WA\",\"quantity\":5}",
            "[".repeat(5_000) + "]".repeat(5_000),
            "{\"a\":\"" + "y".repeat(20_000) + "\"}",
            "{\"name\":\"\uD83D\uDE00\",\"unknown\":true}");
    List<String> contentTypes =
        List.of("application/json", "text/plain", "application/xml", "", "multipart/form-data");

    Random random = new Random(11);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      String method = pick(random, METHODS);
      String path = pick(random, paths);
      while (path.contains("{id}")) {
        path =
            path.replaceFirst(
                "\\{id}", java.util.regex.Matcher.quoteReplacement(pick(random, ids)));
      }
      String body = method.equals("GET") || method.equals("HEAD") ? "" : pick(random, bodies);
      HttpRequest.Builder request;
      try {
        request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
      } catch (IllegalArgumentException notAUri) {
        continue; // the client itself refuses to send it
      }
      String token = pick(random, tokens);
      if (!token.isEmpty()) {
        request.header("Authorization", token);
      }
      String contentType = pick(random, contentTypes);
      if (!contentType.isEmpty()) {
        request.header("Content-Type", contentType);
      }
      if (random.nextInt(4) == 0) {
        request.header(
            "Idempotency-Key",
            random.nextBoolean() ? UUID.randomUUID().toString() : "k".repeat(300));
      }
      HttpResponse<String> response = send(http, request.build());
      if (response == null && body.length() > MAX_BODY_BYTES) {
        // The node answers 413 as soon as the body passes its limit and closes the connection
        // with the rest unread, which the kernel turns into a reset that can beat the answer to
        // the client (HTTP/1.1 lets a server close rather than read a body it refuses).
        statuses.merge(413, 1, Integer::sum);
        continue;
      }
      if (response == null) {
        wrong.add(
            method
                + " "
                + path.substring(0, Math.min(120, path.length()))
                + " with a body of "
                + body.length()
                + " characters: no answer");
        continue;
      }
      statuses.merge(response.statusCode(), 1, Integer::sum);
      String problem = check(method, response);
      if (problem != null && wrong.size() < 20) {
        wrong.add(method + " " + path.substring(0, Math.min(120, path.length())) + ": " + problem);
      }
    }
    assertTrue(wrong.isEmpty(), "answers that break the rules: " + wrong + " of " + statuses);
    assertEquals(
        before, state(victim, orderId, openCart, product), "another shopper's data and the stock");
  }

  /**
   * The answer, or null when there was none twice: once may be the client reusing a connection the
   * node had just closed after an error answer (Connection: close).
   */
  private static HttpResponse<String> send(HttpClient http, HttpRequest request)
      throws InterruptedException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException closed) {
        // once more, on a new connection
      }
    }
    return null;
  }

  /** What is wrong with the answer, or null. */
  private static String check(String method, HttpResponse<String> response) {
    int status = response.statusCode();
    if (status >= 500) {
      return status + " " + response.body();
    }
    if (response.body().contains("Exception") || response.body().contains("\tat ")) {
      return "a stack trace: " + response.body();
    }
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (status >= 400 && !method.equals("HEAD") && !type.equals("application/problem+json")) {
      return status + " as " + type + ": " + response.body();
    }
    return null;
  }

  private static Map<String, JsonNode> state(
      String user, String orderId, String cartId, String product) {
    Map<String, JsonNode> state = new TreeMap<>();
    state.put("order", api.get("/orders/" + orderId).body());
    state.put("cart", api.get("/carts/" + cartId).body());
    state.put("user", api.get("/users/" + user).body());
    state.put("orders", api.get("/users/" + user + "/orders").body());
    state.put("stock", api.get("/inventory/" + product).body());
    return state;
  }

  private static <T> T pick(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }
}
