package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import storefront.tools.workload.ListenCommand;

/**
 * Checkout latency at one open-loop rate without, with and again without idle live-stream clients
 * on the first node, the clients held open by the listen tool in a process of their own. Idle: they
 * follow products nobody sells, so they receive keep-alives only, while the node's hub still weighs
 * every published change against each of them. The run after is the check on drift: the machine is
 * noisy, and only a difference larger than the two baselines' is the clients'.
 */
final class StreamsPhase {
  private static final int PRODUCTS_FOLLOWED = 50;

  /** The three runs; ratios are with ÷ the mean of the two without. */
  record Result(
      int clients,
      double visitsPerSecond,
      BenchmarkReport.Orders before,
      BenchmarkReport.Orders with,
      BenchmarkReport.Orders after) {
    double p50Ratio() {
      return with.checkoutMs().p50() / ((before.checkoutMs().p50() + after.checkoutMs().p50()) / 2);
    }

    double p99Ratio() {
      return with.checkoutMs().p99() / ((before.checkoutMs().p99() + after.checkoutMs().p99()) / 2);
    }
  }

  private final Started started;
  private final WorkloadRuns workload;
  private final String node;
  private final int clients;
  private final Duration settle;

  StreamsPhase(Started started, WorkloadRuns workload, String node, int clients, Duration settle) {
    this.started = started;
    this.workload = workload;
    this.node = node;
    this.clients = clients;
    this.settle = settle;
  }

  /** The three runs; the first after a warm-up (none when the orders phase has warmed up). */
  Result run(Duration warmup, Duration phase, double visitsPerSecond, int shoppers)
      throws IOException, InterruptedException {
    BenchmarkReport.Orders before =
        BenchmarkReport.Orders.of(
            shoppers,
            visitsPerSecond,
            workload.openLoop("streams-before", warmup, phase, visitsPerSecond));
    Process listeners = startListeners(phase.multipliedBy(3).plus(settle));
    BenchmarkReport.Orders with;
    try {
      Thread.sleep(settle.toMillis());
      with =
          BenchmarkReport.Orders.of(
              shoppers, visitsPerSecond, workload.openLoop("streams-with", phase, visitsPerSecond));
    } finally {
      listeners.destroy();
      listeners.waitFor(30, TimeUnit.SECONDS);
    }
    BenchmarkReport.Orders after =
        BenchmarkReport.Orders.of(
            shoppers, visitsPerSecond, workload.openLoop("streams-after", phase, visitsPerSecond));
    return new Result(clients, visitsPerSecond, before, with, after);
  }

  /** The listen tool with every stream open, held longer than the run that needs them. */
  private Process startListeners(Duration hold) throws IOException, InterruptedException {
    List<String> products = new ArrayList<>();
    for (int i = 0; i < PRODUCTS_FOLLOWED; i++) {
      products.add(UUID.randomUUID().toString());
    }
    Process listeners =
        started.startTool(
            "listen",
            List.of(
                "listen",
                "--target",
                node,
                "--clients",
                String.valueOf(clients),
                "--products",
                String.join(",", products),
                "--duration",
                hold.toMillis() + "ms"));
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (!(Files.exists(started.log("listen"))
        && Files.readString(started.log("listen")).contains(ListenCommand.OPEN))) {
      if (!listeners.isAlive() || System.nanoTime() > deadline) {
        listeners.destroy();
        throw new IllegalStateException(
            "the idle streams did not all open; see " + started.log("listen"));
      }
      Thread.sleep(200);
    }
    return listeners;
  }
}
