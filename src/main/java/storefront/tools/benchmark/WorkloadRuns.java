package storefront.tools.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import storefront.tools.workload.WorkloadCommand;

/**
 * Runs the workload tool as its own process, so that the load is generated outside every measured
 * process, and gives back its JSON summary.
 */
final class WorkloadRuns {
  /** The region datagen fills with users and stock, and the shoppers come from. */
  static final String REGION = "us-west";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Started started;
  private final List<String> targets;
  private final int shoppers;

  WorkloadRuns(Started started, List<String> targets, int shoppers) {
    this.started = started;
    this.targets = targets;
    this.shoppers = shoppers;
  }

  /**
   * A closed loop, each shopper starting the next visit when the last one ended: first a warm-up
   * that is not counted (the JIT of the nodes and of the workload's own JVM settles), then
   * onCounting runs as the counted part starts.
   */
  JsonNode closedLoop(String name, Duration warmup, Duration duration, Runnable onCounting)
      throws IOException, InterruptedException {
    return run(name, warmup, duration, 0, onCounting);
  }

  /** An open loop: visits start at this rate whatever the shop's latency. */
  JsonNode openLoop(String name, Duration duration, double visitsPerSecond)
      throws IOException, InterruptedException {
    return openLoop(name, Duration.ZERO, duration, visitsPerSecond);
  }

  /** An open loop after a warm-up at the same rate that is not counted. */
  JsonNode openLoop(String name, Duration warmup, Duration duration, double visitsPerSecond)
      throws IOException, InterruptedException {
    return run(name, warmup, duration, visitsPerSecond, () -> {});
  }

  private JsonNode run(
      String name, Duration warmup, Duration duration, double rate, Runnable onCounting)
      throws IOException, InterruptedException {
    Path summary = started.directory().resolve(name + "-summary.json");
    List<String> args = new ArrayList<>(List.of("workload"));
    targets.forEach(target -> args.addAll(List.of("--target", target)));
    args.addAll(
        List.of(
            "--region",
            REGION,
            "--concurrency",
            String.valueOf(shoppers),
            "--warmup",
            warmup.toMillis() + "ms",
            "--duration",
            duration.toMillis() + "ms",
            "--rate",
            String.valueOf(rate),
            "--order-lines",
            "none",
            "--orders-file",
            started.directory().resolve(name + "-orders.txt").toString(),
            "--summary-file",
            summary.toString()));
    Process workload = started.startTool(name, args);
    if (!warmup.isZero()) {
      awaitCounting(workload, name, warmup.plus(Duration.ofMinutes(1)));
    }
    onCounting.run();
    // Visits still running at the end get two minutes to finish.
    int exit = started.await(workload, name, duration.plus(Duration.ofMinutes(3)));
    if (exit != 0 || !Files.exists(summary)) {
      throw new IllegalStateException(
          "the workload (" + name + ") failed with exit " + exit + "; see " + started.log(name));
    }
    return MAPPER.readTree(summary.toFile());
  }

  /** Waits until the workload says its warm-up is over. */
  private void awaitCounting(Process workload, String name, Duration limit)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    Path log = started.log(name);
    while (!(Files.exists(log) && Files.readString(log).contains(WorkloadCommand.COUNTING))) {
      if (!workload.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the workload (" + name + ") did not finish its warm-up; see " + log);
      }
      Thread.sleep(100);
    }
  }
}
