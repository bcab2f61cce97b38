package storefront.tools.workload;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import storefront.tools.NodeHttp;
import storefront.tools.NodeHttp.Answer;

/**
 * The shop's HTTP API as a shopper's client sees it, over several nodes used round-robin. A request
 * that cannot reach a node, or that the node answers 503, moves to the next node: reads, and
 * changes under an Idempotency-Key, are safe to repeat.
 */
final class ShopClient {
  private final List<String> targets;
  private final Duration retryFor;
  private final AtomicInteger next = new AtomicInteger();
  private final NodeHttp http = new NodeHttp(Duration.ofSeconds(10));
  private final Stats stats;

  ShopClient(List<String> targets, Duration retryFor, Stats stats) {
    this.targets = targets;
    this.retryFor = retryFor;
    this.stats = stats;
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
    return http.withToken(token).send(method, target + path, json, idempotencyKey);
  }

  /** Backs off between attempts: 50 ms doubling up to a second. */
  static void pause(int attempt) {
    try {
      Thread.sleep(Math.min(1_000, 50L << Math.min(attempt, 5)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
