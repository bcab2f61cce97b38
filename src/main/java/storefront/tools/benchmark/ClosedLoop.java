package storefront.tools.benchmark;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Runs an asynchronous operation in a number of closed loops for a while: each loop starts its next
 * call when the previous one answered. Counts what succeeded and records latencies.
 */
final class ClosedLoop {

  /** What a run achieved: successful calls per second, failures, latencies in microseconds. */
  record Result(long succeeded, long failed, double seconds, Histogram latencyMicros) {
    double perSecond() {
      return succeeded / seconds;
    }
  }

  private ClosedLoop() {}

  /** The operation gets the loop's number, so that each loop can work on its own entity. */
  static Result run(int loops, Duration duration, IntFunction<CompletionStage<?>> operation) {
    long deadline = System.nanoTime() + duration.toNanos();
    return run(loops, () -> System.nanoTime() < deadline, operation);
  }

  /** Calls the operation this many times in all, spread over the loops, or until the time is up. */
  static Result times(
      int loops, long total, Duration limit, IntFunction<CompletionStage<?>> operation) {
    AtomicLong started = new AtomicLong();
    long deadline = System.nanoTime() + limit.toNanos();
    return run(
        loops, () -> System.nanoTime() < deadline && started.getAndIncrement() < total, operation);
  }

  private static Result run(
      int loops, BooleanSupplier more, IntFunction<CompletionStage<?>> operation) {
    AtomicLong succeeded = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    Histogram latency = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(1), 3);
    long start = System.nanoTime();
    CompletableFuture<?>[] running = new CompletableFuture<?>[loops];
    for (int i = 0; i < loops; i++) {
      running[i] = loop(i, more, operation, succeeded, failed, latency);
    }
    CompletableFuture.allOf(running).join();
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(succeeded.get(), failed.get(), seconds, latency);
  }

  private static CompletableFuture<Void> loop(
      int loop,
      BooleanSupplier more,
      IntFunction<CompletionStage<?>> operation,
      AtomicLong succeeded,
      AtomicLong failed,
      Histogram latency) {
    CompletableFuture<Void> finished = new CompletableFuture<>();
    next(loop, more, operation, succeeded, failed, latency, finished);
    return finished;
  }

  private static void next(
      int loop,
      BooleanSupplier more,
      IntFunction<CompletionStage<?>> operation,
      AtomicLong succeeded,
      AtomicLong failed,
      Histogram latency,
      CompletableFuture<Void> finished) {
    if (!more.getAsBoolean()) {
      finished.complete(null);
      return;
    }
    long start = System.nanoTime();
    // Async, so that a call that answers at once does not deepen the stack loop after loop.
    operation
        .apply(loop)
        .whenCompleteAsync(
            (ok, error) -> {
              if (error == null) {
                succeeded.incrementAndGet();
                latency.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
              } else {
                failed.incrementAndGet();
              }
              next(loop, more, operation, succeeded, failed, latency, finished);
            });
  }
}
