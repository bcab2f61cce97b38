package storefront.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

  /** A closed loop: each shopper starts the next visit when the last one ended. */
  JsonNode closedLoop(String name, Duration duration) throws IOException, InterruptedException {
    return run(name, duration, 0);
  }

  /** An open loop: visits start at this rate whatever the shop's latency. */
  JsonNode openLoop(String name, Duration duration, double visitsPerSecond)
      throws IOException, InterruptedException {
    return run(name, duration, visitsPerSecond);
  }

  private JsonNode run(String name, Duration duration, double rate)
      throws IOException, InterruptedException {
    Path summary = started.directory().resolve(name + "-summary.json");
    List<String> args = new ArrayList<>(List.of("workload"));
    targets.forEach(target -> args.addAll(List.of("--target", target)));
    args.addAll(
        List.of(
            "--region", REGION,
            "--concurrency", String.valueOf(shoppers),
            "--duration", duration.toMillis() + "ms",
            "--rate", String.valueOf(rate),
            "--order-lines", "none",
            "--orders-file", started.directory().resolve(name + "-orders.txt").toString(),
            "--summary-file", summary.toString()));
    Process workload = started.startTool(name, args);
    // Visits still running at the end get two minutes to finish.
    int exit = started.await(workload, name, duration.plus(Duration.ofMinutes(3)));
    if (exit != 0 || !Files.exists(summary)) {
      throw new IllegalStateException(
          "the workload (" + name + ") failed with exit " + exit + "; see " + started.log(name));
    }
    return MAPPER.readTree(summary.toFile());
  }
}
