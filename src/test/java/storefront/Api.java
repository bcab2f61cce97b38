package storefront;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small HTTP client for the tests: requests as a shopper or script would send them. */
public final class Api {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;

  public Api(int port) {
    this.base = "http://127.0.0.1:" + port;
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
        .thenApply(Api::parse);
  }

  public HttpRequest.Builder builder(String path) {
    return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
  }

  private static HttpRequest.Builder json(HttpRequest.Builder builder, String method, String json) {
    return builder
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(json));
  }

  public Response send(HttpRequest request) {
    try {
      return parse(client.send(request, HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Response parse(HttpResponse<String> response) {
    try {
      JsonNode body = response.body().isEmpty() ? null : MAPPER.readTree(response.body());
      return new Response(
          response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), body);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
