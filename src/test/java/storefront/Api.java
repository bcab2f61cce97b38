package storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small HTTP client for the tests: requests as a shopper or script would send them. Every answer
 * is held to the API's contract (see {@link Contract}): a status, header or body the OpenAPI
 * document does not allow fails the test that received it.
 */
public final class Api {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  // Shared by every client of the test JVM: ids are random, and a shopper's id asked on another
  // node (another client) is still theirs.
  private static final Map<String, String> TOKENS_BY_OWNED_ID = new ConcurrentHashMap<>();

  private final HttpClient client;
  private final String base;
  private final String token;

  /**
   * A client that sends the token of whoever owns the first id in a path (see {@link #owns}), as
   * that shopper's own client would; {@link #as} sends one token always.
   */
  public Api(int port) {
    this(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        "http://127.0.0.1:" + port,
        null);
  }

  private Api(HttpClient client, String base, String token) {
    this.client = client;
    this.base = base;
    this.token = token;
  }

  /** This client sending this bearer token with every request. */
  public Api as(String token) {
    return new Api(client, base, token);
  }

  public Api asOperator() {
    return as(TestNode.ADMIN_TOKEN);
  }

  /** Without any token. */
  public Api anonymous() {
    return as("");
  }

  /** Requests with this id (a user, cart or order) in their path carry this token. */
  public void owns(String id, String ownerToken) {
    TOKENS_BY_OWNED_ID.put(id, ownerToken);
  }

  public String tokenOf(String id) {
    return TOKENS_BY_OWNED_ID.get(id);
  }

  /** A response with its body parsed as JSON (null when empty). */
  public record Response(int status, String contentType, JsonNode body) {
    public String text(String field) {
      return body.path(field).asText();
    }
  }

  public Response get(String path) {
    return send(builder(path).GET().build());
  }

  public Response delete(String path) {
    return send(builder(path).DELETE().build());
  }

  public Response post(String path, String json) {
    return send(json(builder(path), "POST", json).build());
  }

  public Response put(String path, String json) {
    return send(json(builder(path), "PUT", json).build());
  }

  public CompletableFuture<Response> postAsync(String path, String json) {
    return client
        .sendAsync(json(builder(path), "POST", json).build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(Api::checked);
  }

  public HttpRequest.Builder builder(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    String bearer = token != null ? token : ownerToken(path);
    return bearer == null || bearer.isEmpty()
        ? builder
        : builder.header("Authorization", "Bearer " + bearer);
  }

  private String ownerToken(String path) {
    Matcher ids = ID.matcher(path);
    while (ids.find()) {
      String owner = TOKENS_BY_OWNED_ID.get(ids.group());
      if (owner != null) {
        return owner;
      }
    }
    return null;
  }

  private static HttpRequest.Builder json(HttpRequest.Builder builder, String method, String json) {
    return builder
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json));
  }

  public Response send(HttpRequest request) {
    try {
      return checked(client.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Response checked(HttpResponse<String> response) {
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    Contract.DOCUMENT
        .violation(
            response.request().method(),
            response.request().uri().getRawPath(),
            response.statusCode(),
            contentType,
            response.headers().map(),
            response.body())
        .ifPresent(
            violation -> {
              throw new AssertionError("breaks the API's contract: " + violation);
            });
    return parse(response);
  }

  /** A text/plain body (the metrics) as a JSON string; any other as JSON. */
  private static Response parse(HttpResponse<String> response) {
    String contentType = response.headers().firstValue("Content-Type").orElse("");
    try {
      JsonNode body =
          contentType.startsWith("text/plain")
              ? TextNode.valueOf(response.body())
              : response.body().isEmpty() ? null : MAPPER.readTree(response.body());
      return new Response(response.statusCode(), contentType, body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
