package storefront.tools;

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

/**
 * The tools' one HTTP client of the shop's nodes, used the way an operator's script would: JSON in
 * and out, a bearer token, an Idempotency-Key, a time limit per request. HTTP/1.1 throughout: by
 * default the JDK client asks every new connection to upgrade to HTTP/2, and a request then waits
 * behind an upgrade whose answer (a stream) never ends.
 */
public final class NodeHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  /** No answer: the node could not be reached, or did not answer in time. */
  public static final int NO_ANSWER = -1;

  private final HttpClient http;
  private final Duration timeout;
  private final String bearerToken;

  /** A client whose requests give up after the timeout. */
  public NodeHttp(Duration timeout) {
    this(CONNECT_TIMEOUT, timeout);
  }

  /** A client that waits this long for a connection (many at once queue in the node's backlog). */
  public NodeHttp(Duration connectTimeout, Duration timeout) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .build(),
        timeout,
        null);
  }

  private NodeHttp(HttpClient http, Duration timeout, String bearerToken) {
    this.http = http;
    this.timeout = timeout;
    this.bearerToken = bearerToken;
  }

  /** The same client, sending this bearer token with every request (none when null). */
  public NodeHttp withToken(String token) {
    return new NodeHttp(http, timeout, token);
  }

  /** The same client with another time limit per request. */
  public NodeHttp withTimeout(Duration requestTimeout) {
    return new NodeHttp(http, requestTimeout, bearerToken);
  }

  /** A node's answer: its status, and its body when that is JSON (else null). */
  public record Answer(int status, JsonNode body) {
    public boolean ok() {
      return status >= 200 && status < 300;
    }

    /** A field of the body as text; empty when there is no body or no such field. */
    public String text(String field) {
      return body == null ? "" : body.path(field).asText();
    }
  }

  /**
   * Sends a request (the JSON body and the Idempotency-Key may be null) and reads the answer; an
   * IOException when the node could not be reached or did not answer in time.
   */
  public Answer send(String method, String url, String json, String idempotencyKey)
      throws IOException, InterruptedException {
    return answer(
        http.send(
            request(method, url, json, idempotencyKey), HttpResponse.BodyHandlers.ofString()));
  }

  /** {@link #send}, when the answer comes; the stage fails when none does. */
  public CompletableFuture<Answer> sendAsync(
      String method, String url, String json, String idempotencyKey) {
    return http.sendAsync(
            request(method, url, json, idempotencyKey), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              try {
                return answer(response);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /** The status code of a GET, or {@link #NO_ANSWER}. */
  public int status(String url) {
    try {
      return http.send(request("GET", url, null, null), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return NO_ANSWER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NO_ANSWER;
    }
  }

  /** The status code of a GET when it comes, or {@link #NO_ANSWER}. */
  public CompletableFuture<Integer> statusAsync(String url) {
    return statusOf(sendAsync("GET", url, null, null));
  }

  /** The JSON body of a GET answered 200; anything else is an IOException. */
  public JsonNode get(String url) throws IOException, InterruptedException {
    Answer answer = send("GET", url, null, null);
    return jsonBody(answer, url, answer.status() == 200);
  }

  /** POSTs the JSON and returns the body of a 2xx answer; anything else is an IOException. */
  public JsonNode post(String url, String json) throws IOException, InterruptedException {
    Answer answer = send("POST", url, json, null);
    return jsonBody(answer, url, answer.ok());
  }

  /** POSTs the JSON under an Idempotency-Key: the status code when it comes, or NO_ANSWER. */
  public CompletableFuture<Integer> postAsync(String url, String json, String idempotencyKey) {
    return statusOf(sendAsync("POST", url, json, idempotencyKey));
  }

  /** DELETEs: the status code, or {@link #NO_ANSWER}. */
  public int delete(String url) {
    try {
      return send("DELETE", url, null, null).status();
    } catch (IOException e) {
      return NO_ANSWER;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return NO_ANSWER;
    }
  }

  /** Opens a server-sent event stream; it has no time limit, its body arrives as it is sent. */
  public <T> CompletableFuture<HttpResponse<T>> stream(
      String url, HttpResponse.BodyHandler<T> body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
    return http.sendAsync(authorized(builder).build(), body);
  }

  /** A JSON object of the keys and values, given alternately. */
  public static String json(Object... keysAndValues) {
    var node = MAPPER.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.putPOJO((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return node.toString();
  }

  private HttpRequest request(String method, String url, String json, String idempotencyKey) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    if (idempotencyKey != null) {
      builder.header("Idempotency-Key", idempotencyKey);
    }
    if (json == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return authorized(builder).build();
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
    return bearerToken == null ? builder : builder.header("Authorization", "Bearer " + bearerToken);
  }

  private static Answer answer(HttpResponse<String> response) throws IOException {
    // A load balancer's own answers (e.g. HAProxy's 503 page) are not JSON.
    boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
    JsonNode body = json && !response.body().isEmpty() ? MAPPER.readTree(response.body()) : null;
    return new Answer(response.statusCode(), body);
  }

  private static CompletableFuture<Integer> statusOf(CompletableFuture<Answer> answer) {
    return answer.handle((a, failure) -> failure == null ? a.status() : NO_ANSWER);
  }

  /**
   * The body of an answer with the expected status. Without a JSON body (say, a proxy's own page)
   * it is an IOException like any other unexpected answer, never a null.
   */
  private static JsonNode jsonBody(Answer answer, String url, boolean expected) throws IOException {
    if (!expected) {
      throw new IOException(url + " answered " + answer.status());
    }
    if (answer.body() == null) {
      throw new IOException(url + " answered " + answer.status() + " without a JSON body");
    }
    return answer.body();
  }
}
