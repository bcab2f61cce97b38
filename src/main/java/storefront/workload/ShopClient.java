package storefront.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shop's HTTP API as a shopper's client sees it, over several nodes used round-robin. A request
 * that cannot reach a node, or that the node answers 503, moves to the next node: reads, and
 * changes under an Idempotency-Key, are safe to repeat.
 */
final class ShopClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final List<String> targets;
  private final Duration retryFor;
  private final AtomicInteger next = new AtomicInteger();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Stats stats;

  ShopClient(List<String> targets, Duration retryFor, Stats stats) {
    this.targets = targets;
    this.retryFor = retryFor;
    this.stats = stats;
  }

  /** An answer of the shop: status and JSON body (null when empty). */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    String text(String field) {
      return body == null ? "" : body.path(field).asText();
    }
  }

  /** Thrown when no node answered within the attempts. */
  static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message, null, false, false);
    }
  }

  /** When a request started now has to give up. */
  long retryDeadline() {
    return System.nanoTime() + retryFor.toNanos();
  }

  /**
   * Sends the request to a node; on a connection failure or a 503 tries the next node, for as long
   * as the retry budget lasts (a node's failover takes seconds). Only for requests that are safe to
   * repeat.
   */
  Answer call(String operation, String method, String path, String json) {
    return call(operation, method, path, json, null);
  }

  /** {@link #call(String, String, String, String)} with a bearer token (none when null). */
  Answer call(String operation, String method, String path, String json, String token) {
    return call(operation, method, path, json, token, null);
  }

  /**
   * With an Idempotency-Key (none when null): a change the shop accepted under it is not made
   * again, so that the request is safe to repeat like a read.
   */
  Answer call(
      String operation,
      String method,
      String path,
      String json,
      String token,
      String idempotencyKey) {
    long deadline = retryDeadline();
    String lastFailure = "";
    int attempt = 0;
    for (; attempt == 0 || System.nanoTime() < deadline; attempt++) {
      String target = nextTarget();
      long start = System.nanoTime();
      try {
        Answer answer = send(target, method, path, json, token, idempotencyKey);
        stats.record(operation, System.nanoTime() - start, answer.status());
        if (answer.status() != 503) {
          if (attempt > 0) {
            stats.retried(operation);
          }
          return answer;
        }
        stats.attemptFailed();
        lastFailure = "503 from " + target;
      } catch (IOException e) {
        stats.attemptFailed();
        stats.error(operation, e.getClass().getSimpleName());
        lastFailure = e.getClass().getSimpleName() + " from " + target;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Unavailable("interrupted");
      }
      pause(attempt);
    }
    stats.lost(
        operation, "gave up after " + attempt + " attempts in " + retryFor.toSeconds() + " s");
    throw new Unavailable(operation + ": " + lastFailure);
  }

  private String nextTarget() {
    return targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
  }

  private Answer send(
      String target, String method, String path, String json, String token, String idempotencyKey)
      throws IOException, InterruptedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(target + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
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
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    // A load balancer's own answers (e.g. HAProxy's 503 page) are not JSON.
    boolean jsonBody = response.headers().firstValue("Content-Type").orElse("").contains("json");
    JsonNode body =
        jsonBody && !response.body().isEmpty() ? MAPPER.readTree(response.body()) : null;
    return new Answer(response.statusCode(), body);
  }

  /** Backs off between attempts: 50 ms doubling up to a second. */
  static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String json(Object... keysAndValues) {
    var node = MAPPER.createObjectNode();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      node.putPOJO((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return node.toString();
  }
}
