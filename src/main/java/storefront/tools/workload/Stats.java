package storefront.tools.workload;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies per operation (HdrHistogram), outcomes of orders and carts, and errors by kind. */
final class Stats {
  private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(2);

  /** One operation's latencies: an interval recorder for the periodic table, a running total. */
  static final class Operation {
    final Recorder interval = new Recorder(HIGHEST_MICROS, 3);
    final Histogram total = new Histogram(HIGHEST_MICROS, 3);
    Histogram lastInterval;

    synchronized Histogram takeInterval() {
      lastInterval = interval.getIntervalHistogram(lastInterval);
      total.add(lastInterval);
      return lastInterval;
    }
  }

  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder succeededOnRetry = new LongAdder();
  private final LongAdder lostAfterRetry = new LongAdder();
  final long startNanos = System.nanoTime();
  private final long startCpuNanos = processCpuNanos();

  void record(String operation, long nanos, int status) {
    operations
        .computeIfAbsent(operation, o -> new Operation())
        .interval
        .recordValue(Math.min(HIGHEST_MICROS, Math.max(1, nanos / 1_000)));
    if (status >= 400) {
      count(statuses, operation + " " + status);
    }
  }

  /**
   * A whole visit, from opening the cart to the order's end or to giving up: what a shopper waits
   * for, recorded as the operation "visit".
   */
  void visitEnded(long nanos) {
    record("visit", nanos, 0);
  }

  void error(String operation, String kind) {
    count(errors, operation + ": " + kind);
  }

  /** An attempt that reached no node or that a node answered 503; the client may try again. */
  void attemptFailed() {
    failedAttempts.increment();
  }

  void retried(String operation) {
    succeededOnRetry.increment();
    count(errors, operation + ": retried on another node and succeeded");
  }

  /** A request the client gave up on after all its retries. */
  void lost(String operation, String why) {
    lostAfterRetry.increment();
    error(operation, why);
  }

  RequestCounts requestCounts() {
    return new RequestCounts(failedAttempts.sum(), succeededOnRetry.sum(), lostAfterRetry.sum());
  }

  void outcome(String outcome) {
    count(outcomes, outcome);
  }

  long outcomeCount(String outcome) {
    LongAdder adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  /** Interval histograms since the last call, per operation, by name. */
  Map<String, Histogram> takeIntervals() {
    Map<String, Histogram> intervals = new TreeMap<>();
    operations.forEach((name, operation) -> intervals.put(name, operation.takeInterval().copy()));
    return intervals;
  }

  /** Totals since the start (includes everything taken so far plus what is pending). */
  Map<String, Histogram> totals() {
    Map<String, Histogram> totals = new TreeMap<>();
    operations.forEach(
        (name, operation) -> {
          operation.takeInterval();
          totals.put(name, operation.total.copy());
        });
    return totals;
  }

  Map<String, Long> outcomes() {
    return snapshot(outcomes);
  }

  Map<String, Long> errors() {
    Map<String, Long> all = snapshot(errors);
    all.putAll(snapshot(statuses));
    return all;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  /** CPU time this process used since these statistics started (all threads, user and system). */
  double cpuSeconds() {
    return (processCpuNanos() - startCpuNanos) / 1e9;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void count(Map<String, LongAdder> counters, String key) {
    counters.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  private static Map<String, Long> snapshot(Map<String, LongAdder> counters) {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((key, value) -> copy.put(key, value.sum()));
    return copy;
  }
}
