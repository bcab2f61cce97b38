package analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import common.Failures;
import common.Rejection;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/** The analytics queries against the real database. */
class AnalyticsQueriesTest {
  private static ActorTestKit testKit;
  private static AnalyticsQueries queries;

  @BeforeAll
  static void start() {
    testKit =
        TestDatabase.actorTestKit(
            "AnalyticsQueriesTest", "storefront.r2dbc.operator-queries.statement-timeout = 1s");
    queries = new AnalyticsQueries(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aQueryRunningPastTheStatementTimeoutIsCanceledAndAnswersUnavailable() {
    long started = System.nanoTime();
    Throwable error;
    try (var lock = TestDatabase.lock(testKit.system(), "categories")) {
      error =
          assertThrows(
              CompletionException.class, () -> queries.popularity(10).toCompletableFuture().join());
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    Rejection rejection = ((Rejection.RejectedException) Failures.unwrapped(error)).rejection();
    assertEquals(Rejection.Kind.UNAVAILABLE, rejection.kind());
    assertTrue(rejection.reason().contains("longer than 1s"), rejection.reason());
    assertTrue(tookMs < 5_000, "canceled after about a second, not " + tookMs + " ms");
  }
}
