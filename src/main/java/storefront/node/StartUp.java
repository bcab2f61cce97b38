package storefront.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waiting for start-up steps: each has a time limit, and some are tried again. */
final class StartUp {
  private static final Logger log = LoggerFactory.getLogger(StartUp.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private StartUp() {}

  /**
   * Start-up steps that are idempotent but may fail while other nodes start at the same time: the
   * schema (PostgreSQL's IF NOT EXISTS is not safe against a concurrent CREATE) and the sample data
   * (its entities may be allocated to a node that is still joining).
   */
  static void retried(String step, Supplier<CompletionStage<?>> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        await(action.get());
        return;
      } catch (IllegalStateException e) {
        if (attempt == 5) {
          throw e;
        }
        log.info("{} failed (attempt {}), trying again: {}", step, attempt, e.getMessage());
        try {
          Thread.sleep(1_000L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The stage's value; a failure or a stage still running after the time limit refuses the start.
   */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("start-up failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("start-up failed: " + e, e);
    }
  }
}
