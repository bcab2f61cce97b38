package storefront.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Looks at a node over HTTP the way an operator would: a status code, or a JSON answer. */
public final class Probe {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http;
  private final Duration timeout;
  private final String bearerToken;

  public Probe(Duration timeout) {
    this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(), timeout, null);
  }

  private Probe(HttpClient http, Duration timeout, String bearerToken) {
    this.http = http;
    this.timeout = timeout;
    this.bearerToken = bearerToken;
  }

  /** The same probe, sending this bearer token with every request. */
  public Probe withToken(String token) {
    return new Probe(http, timeout, token);
  }

  /** The status code, or -1 when the node did not answer. */
  public int status(String url) {
    try {
      return http.send(request(url), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The status code when it comes, or -1 when the node did not answer. */
  public CompletableFuture<Integer> statusAsync(String url) {
    return http.sendAsync(request(url), HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> failure == null ? response.statusCode() : -1);
  }

  /** The JSON body of a 200 answer; anything else is an IOException. */
  public JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request(url), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return MAPPER.readTree(response.body());
  }

  /** POSTs the JSON and returns the body of a 2xx answer; anything else is an IOException. */
  public JsonNode post(String url, String json) throws IOException, InterruptedException {
    HttpRequest request =
        builder(url)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    return MAPPER.readTree(response.body());
  }

  /**
   * POSTs the JSON under an Idempotency-Key: the status code when it comes, or -1 when the node did
   * not answer.
   */
  public CompletableFuture<Integer> postAsync(String url, String json, String idempotencyKey) {
    HttpRequest request =
        builder(url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", idempotencyKey)
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle((response, failure) -> failure == null ? response.statusCode() : -1);
  }

  /** DELETEs; the status code, or -1 when the node did not answer. */
  public int delete(String url) {
    try {
      return http.send(builder(url).DELETE().build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private HttpRequest request(String url) {
    return builder(url).build();
  }

  private HttpRequest.Builder builder(String url) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
    return bearerToken == null ? builder : builder.header("Authorization", "Bearer " + bearerToken);
  }
}
