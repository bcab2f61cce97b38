package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * The OpenAPI document at /openapi.json against the router it describes, in both directions.
 *
 * <p>akka-http routes are functions that cannot be listed, so the router is known two ways. Each
 * *Routes class declares its operations as {@code Endpoint} fields and builds each operation's
 * route through {@code ApiRoutes.on(endpoint, ...)}; the node reports the declared ones. And the
 * running node is probed: every documented operation must be routed (any answer but akka-http's "no
 * such route" rejection), and every other method on every documented path, on each of their
 * prefixes and one segment beyond each, must be that rejection: 405 where the path has documented
 * methods, 404 where it has none. A route added without a declaration (say a plain {@code post})
 * next to the documented ones is answered, and fails the walk; anywhere else the HTTP tests reach
 * it through {@link Api}, which refuses answers to operations the document does not have.
 */
class ApiContractTest {
  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

  private static final HttpClient http = HttpClient.newHttpClient();

  private static Node node;
  private static Api api;
  private static String shopperToken;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
    api = new Api(node.httpPort());
    String userId = new Shopper(api).newUser("us-west");
    shopperToken = api.tokenOf(userId);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void theDocumentHasExactlyTheOperationsTheRoutesDeclare() {
    Set<String> documented = new TreeSet<>();
    Contract.DOCUMENT.operations().forEach(o -> documented.add(o.toString()));
    Set<String> declared = new TreeSet<>();
    node.endpoints().forEach(e -> declared.add(e.toString()));

    Set<String> undocumented = new TreeSet<>(declared);
    undocumented.removeAll(documented);
    Set<String> unrouted = new TreeSet<>(documented);
    unrouted.removeAll(declared);
    assertTrue(undocumented.isEmpty(), "routes the document lacks: " + undocumented);
    assertTrue(unrouted.isEmpty(), "documented operations no route declares: " + unrouted);
  }

  @Test
  void theDocumentIsServedAsItIs() throws Exception {
    var response = api.anonymous().get("/openapi.json");
    assertEquals(200, response.status(), response.toString());
    assertEquals("application/json", response.contentType());
    try (var in = getClass().getClassLoader().getResourceAsStream(Contract.RESOURCE)) {
      assertEquals(new com.fasterxml.jackson.databind.ObjectMapper().readTree(in), response.body());
    }
  }

  @Test
  void everyDocumentedOperationIsRouted() {
    List<String> unrouted = new ArrayList<>();
    for (Contract.Operation operation : Contract.DOCUMENT.operations()) {
      // Api holds the answer to the document: a documented status, media type and schema.
      HttpRequest request = request(operation.method(), withIds(operation.path()), operation);
      var response = operation.streams() ? streamed(request) : api.send(request);
      if (Contract.isNoRoute(response.status(), String.valueOf(response.body()))) {
        unrouted.add(operation + ": " + response);
      }
    }
    assertTrue(unrouted.isEmpty(), "documented but not routed: " + unrouted);
  }

  @Test
  void everyOtherMethodNearTheDocumentedPathsHasNoRoute() throws Exception {
    List<String> answered = new ArrayList<>();
    for (String path : walkedPaths()) {
      String requestPath = withIds(path);
      // The web shop's page is at "/" (read with GET or HEAD): other methods there are refused,
      // as at a documented path.
      boolean page = requestPath.equals("/");
      boolean pathDocumented = Contract.DOCUMENT.documentsPath(requestPath) || page;
      for (String method : METHODS) {
        if (Contract.DOCUMENT.operation(method, requestPath).isPresent()
            || (page && (method.equals("GET") || method.equals("HEAD")))) {
          continue;
        }
        int expected = pathDocumented ? 405 : 404;
        if (!noRouteForSomeCaller(method, requestPath, expected)) {
          answered.add(method + " " + path);
        }
      }
    }
    assertTrue(answered.isEmpty(), "answered, but not in the document: " + answered);
  }

  /**
   * Some routes refuse a caller of the wrong kind before they look at the rest of the path (every
   * /carts path wants a shopper), so a path without a route is proven by the caller that gets past
   * that: one of anonymous, a shopper and an operator gets the router's "no such route".
   */
  private static boolean noRouteForSomeCaller(String method, String path, int expected)
      throws Exception {
    for (String token : List.of("", shopperToken, TestNode.ADMIN_TOKEN)) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
              .method(method, HttpRequest.BodyPublishers.noBody());
      if (!token.isEmpty()) {
        request.header("Authorization", "Bearer " + token);
      }
      // Not through Api, which would hold a refused caller's 401 to the document.
      HttpResponse<String> response = http.send(request.build(), BodyHandlers.ofString());
      // A HEAD answer has no body to tell the rejection by: its status has to do.
      boolean noRoute =
          response.statusCode() == expected
              && (method.equals("HEAD") || Contract.isNoRoute(expected, response.body()));
      if (noRoute) {
        return true;
      }
    }
    return false;
  }

  /** Every documented path, each of its prefixes, and each with one segment more. */
  private static Set<String> walkedPaths() {
    Set<String> paths = new LinkedHashSet<>();
    paths.add("/");
    for (String path : Contract.DOCUMENT.paths()) {
      paths.add(path);
      paths.add(path + "/more");
      for (int slash = path.indexOf('/', 1); slash > 0; slash = path.indexOf('/', slash + 1)) {
        paths.add(path.substring(0, slash));
      }
    }
    return paths;
  }

  /**
   * A stream's answer: its status and media type, the stream closed at once (it never ends by
   * itself); a refusal's problem body is read whole.
   */
  private static Api.Response streamed(HttpRequest request) {
    try {
      HttpResponse<InputStream> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      try (InputStream body = response.body()) {
        if (response.statusCode() == 200) {
          assertEquals("text/event-stream", contentType, request.uri().toString());
          return new Api.Response(200, contentType, null);
        }
        return new Api.Response(
            response.statusCode(),
            contentType,
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(body.readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A documented operation as a caller it admits would send it, with an empty JSON body. */
  private static HttpRequest request(String method, String path, Contract.Operation operation) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path));
    List<String> schemes = operation.securitySchemes();
    if (!schemes.isEmpty()) {
      String token = schemes.get(0).equals("operatorToken") ? TestNode.ADMIN_TOKEN : shopperToken;
      request.header("Authorization", "Bearer " + token);
    }
    if (operation.hasBody()) {
      return request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString("{}"))
          .build();
    }
    return request.method(method, HttpRequest.BodyPublishers.noBody()).build();
  }

  /** The template with a fresh id for each parameter (every path parameter is a UUID). */
  private static String withIds(String template) {
    return template.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
  }
}
