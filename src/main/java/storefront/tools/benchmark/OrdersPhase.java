package storefront.tools.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders over HTTP from the workload in its own process: a warm-up, then the counted closed loop
 * with each process's CPU (from /proc) and PostgreSQL's work (its own statistics) measured around
 * it, then an open loop at half the visit rate the closed loop reached.
 */
final class OrdersPhase {
  /** PostgreSQL's backends report their counters at most once a second, and when idle. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  private static final int STATEMENTS_SHOWN = 15;

  private final Started started;
  private final WorkloadRuns workload;
  private final int shoppers;
  private final PostgresStats database;
  private final boolean profile;

  OrdersPhase(
      Started started,
      List<String> targets,
      int shoppers,
      PostgresStats database,
      boolean profile) {
    this.started = started;
    this.workload = new WorkloadRuns(started, targets, shoppers);
    this.shoppers = shoppers;
    this.database = database;
    this.profile = profile;
  }

  void run(Duration warmup, Duration phase, BenchmarkReport report)
      throws IOException, InterruptedException {
    Map<String, Double> cpuBefore = new LinkedHashMap<>();
    PostgresStats.Counters[] before = new PostgresStats.Counters[1];
    JsonNode counted =
        workload.closedLoop(
            "orders",
            warmup,
            phase,
            () -> {
              cpuBefore.putAll(cpuSeconds());
              before[0] = database.counters();
              if (profile) {
                database.resetStatements();
              }
            });
    Thread.sleep(SETTLE.toMillis());
    Map<String, Double> cpuAfter = cpuSeconds();
    PostgresStats.Counters work = database.counters().minus(before[0]);
    List<PostgresStats.Statement> statements =
        profile ? database.topStatementsByCalls(STATEMENTS_SHOWN) : List.of();

    BenchmarkReport.Orders orders = BenchmarkReport.Orders.of(shoppers, 0, counted);
    report.orders = orders;
    if (orders.completed() == 0) {
      throw new IllegalStateException(
          "no order completed in the counted phase; see " + started.log("orders"));
    }
    report.cpu = cpuPerOrder(cpuBefore, cpuAfter, counted.path("cpuSeconds").asDouble(), orders);
    report.database = BenchmarkReport.DatabaseWork.of(work, orders.completed(), statements);
    System.out.printf(
        "Orders: %.1f completed/s, %.1f visits/s, checkout p50/p90/p99 %s ms (%d shoppers,"
            + " %.0f s); per order %.2f ms node CPU, %.1f transactions%n",
        orders.ordersPerSecond(),
        orders.visitsPerSecond(),
        orders.checkoutMs(),
        shoppers,
        orders.seconds(),
        report.cpu.nodeMsPerOrder(),
        report.database.transactionsPerOrder());

    double halfRate = orders.visitsPerSecond() / 2;
    report.halfRate =
        BenchmarkReport.Orders.of(
            shoppers, halfRate, workload.openLoop("half-rate", phase, halfRate));
    System.out.printf(
        "Half rate: %.1f visits/s open loop, checkout p50/p90/p99 %s ms%n",
        halfRate, report.halfRate.checkoutMs());
  }

  /** CPU seconds so far of each node process and of PostgreSQL (postmaster and backends). */
  private Map<String, Double> cpuSeconds() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    started.nodePids().forEach((node, pid) -> seconds.put(node, ProcessCpu.seconds(pid)));
    seconds.put("postgres", ProcessCpu.treeSeconds(started.pid("postmaster")));
    return seconds;
  }

  private static BenchmarkReport.Cpu cpuPerOrder(
      Map<String, Double> before,
      Map<String, Double> after,
      double loadSeconds,
      BenchmarkReport.Orders orders) {
    Map<String, Double> used = new LinkedHashMap<>();
    before.forEach((process, seconds) -> used.put(process, after.get(process) - seconds));
    double nodeSeconds =
        used.entrySet().stream()
            .filter(entry -> !entry.getKey().equals("postgres"))
            .mapToDouble(Map.Entry::getValue)
            .sum();
    used.put("load", loadSeconds);
    double msPerOrder = 1000.0 / orders.completed();
    return new BenchmarkReport.Cpu(
        used,
        nodeSeconds * msPerOrder,
        used.get("postgres") * msPerOrder,
        loadSeconds * msPerOrder);
  }
}
