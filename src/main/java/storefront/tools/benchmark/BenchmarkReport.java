package storefront.tools.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run measured, phase by phase (a phase that did not run stays null), the table of
 * measures against their targets, and the same as JSON. Rates are also given as a ratio to
 * pgbench's commit ceiling of the same server, because this machine is noisy and only ratios
 * compare between runs.
 */
final class BenchmarkReport {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String ROW = "%-56s %18s %10s %16s %5s%n";

  /** Percentiles in milliseconds. */
  record Latency(double p50, double p90, double p99) {
    static Latency of(JsonNode operation) {
      return new Latency(
          operation.path("p50").asDouble(),
          operation.path("p90").asDouble(),
          operation.path("p99").asDouble());
    }

    @Override
    public String toString() {
      return String.format("%.1f / %.1f / %.1f", p50, p90, p99);
    }
  }

  /** A workload run, from its summary. */
  record Orders(
      int shoppers,
      double seconds,
      long completed,
      double ordersPerSecond,
      double visitsPerSecond,
      double openLoopRate,
      Latency checkoutMs,
      Latency visitMs,
      JsonNode outcomes) {
    static Orders of(int shoppers, double openLoopRate, JsonNode summary) {
      double seconds = summary.path("elapsedSeconds").asDouble();
      JsonNode latency = summary.path("latencyMs");
      return new Orders(
          shoppers,
          seconds,
          summary.path("completedOrders").asLong(),
          summary.path("ordersPerSecond").asDouble(),
          latency.path("visit").path("count").asLong() / seconds,
          openLoopRate,
          Latency.of(latency.path("checkout")),
          Latency.of(latency.path("visit")),
          summary.path("outcomes"));
    }
  }

  /** CPU seconds per process over the counted orders phase, and milliseconds per order. */
  record Cpu(
      Map<String, Double> seconds,
      double nodeMsPerOrder,
      double databaseMsPerOrder,
      double loadMsPerOrder) {}

  /** pg_stat_database over the counted orders phase, per order, and its busiest statements. */
  record DatabaseWork(
      PostgresStats.Counters counted,
      double transactionsPerOrder,
      double insertedPerOrder,
      double updatedPerOrder,
      double deletedPerOrder,
      List<PostgresStats.Statement> topStatementsByCalls) {
    static DatabaseWork of(
        PostgresStats.Counters counted, long orders, List<PostgresStats.Statement> statements) {
      double perOrder = 1.0 / orders;
      return new DatabaseWork(
          counted,
          counted.transactions() * perOrder,
          counted.inserted() * perOrder,
          counted.updated() * perOrder,
          counted.deleted() * perOrder,
          statements);
    }
  }

  /**
   * Live heap of the nodes before and after opening carts, and what grew most; why fewer carts than
   * requested were measured, if so.
   */
  record Heap(
      int requested,
      long opened,
      double seconds,
      long bytesBefore,
      long bytesAfter,
      long bytesPerCart,
      double mbPer100kCarts,
      List<HeapHistogram.Growth> grewMost,
      String stoppedEarly) {}

  /** One line of the table. */
  record Row(String measure, String value, String ratio, String target, String met) {}

  final Map<String, Object> options = new LinkedHashMap<>();
  Double pgbenchCommitsPerSecond;
  String pgbenchMissing;
  Orders orders;
  Orders halfRate;
  StreamsPhase.Result streams;
  Cpu cpu;
  DatabaseWork database;
  EntityPhases.Rate events;
  EntityPhases.Reservations reservations;
  Heap heap;
  String heapMissing;
  String error;
  Map<String, Long> processes = Map.of();

  List<Row> table() {
    List<Row> rows = new ArrayList<>();
    if (pgbenchCommitsPerSecond != null) {
      rows.add(
          new Row(
              "pgbench single-row commits/s (" + Pgbench.CLIENTS + " clients): the ceiling",
              String.format("%.0f", pgbenchCommitsPerSecond),
              "1.000",
              "",
              ""));
    }
    if (orders != null) {
      rows.add(
          rate(
              "completed orders/s (" + orders.shoppers + " shoppers, closed loop)",
              orders.ordersPerSecond,
              ">= 150",
              orders.ordersPerSecond >= 150));
      rows.add(info("checkout latency p50 / p90 / p99 ms", orders.checkoutMs.toString()));
      rows.add(info("whole-visit latency p50 / p90 / p99 ms", orders.visitMs.toString()));
    }
    if (halfRate != null) {
      Latency checkout = halfRate.checkoutMs;
      rows.add(
          target(
              String.format(
                  "checkout p50 / p99 ms at half the maximum rate (%.1f visits/s)",
                  halfRate.openLoopRate),
              String.format("%.1f / %.1f", checkout.p50, checkout.p99),
              "p99 < 25",
              checkout.p99 < 25));
    }
    if (streams != null) {
      rows.add(
          target(
              String.format(
                  "checkout p50 / p99 with %d idle streams ÷ without (%.1f visits/s)",
                  streams.clients(), streams.visitsPerSecond()),
              String.format("%.2f / %.2f", streams.p50Ratio(), streams.p99Ratio()),
              "<= 1.10",
              streams.p50Ratio() <= 1.10 && streams.p99Ratio() <= 1.10));
    }
    if (cpu != null) {
      rows.add(
          target(
              "node CPU ms per order",
              String.format("%.2f", cpu.nodeMsPerOrder),
              "<= 8",
              cpu.nodeMsPerOrder <= 8));
      rows.add(info("PostgreSQL CPU ms per order", String.format("%.2f", cpu.databaseMsPerOrder)));
      rows.add(info("load generator CPU ms per order", String.format("%.2f", cpu.loadMsPerOrder)));
    }
    if (database != null) {
      rows.add(
          target(
              "database transactions per order",
              String.format("%.1f", database.transactionsPerOrder),
              "<= 15",
              database.transactionsPerOrder <= 15));
      rows.add(
          info(
              "rows inserted / updated / deleted per order",
              String.format(
                  "%.1f / %.1f / %.1f",
                  database.insertedPerOrder, database.updatedPerOrder, database.deletedPerOrder)));
    }
    if (events != null) {
      rows.add(
          new Row(
              "events persisted/s (" + events.callers() + " callers, own cart each)",
              String.format("%.0f", events.perSecond()),
              ratio(events.perSecond()),
              ">= 0.40 x ceiling",
              pgbenchCommitsPerSecond == null
                  ? "n/a"
                  : met(events.perSecond() / pgbenchCommitsPerSecond >= 0.40)));
    }
    if (reservations != null) {
      EntityPhases.Rate rate = reservations.rate();
      rows.add(
          rate(
              "reservations/s on one hot product, + commit (" + rate.callers() + " callers)",
              rate.perSecond(),
              ">= 10,000",
              rate.perSecond() >= 10_000));
      rows.add(
          target(
              "hot product's stock adds up, sold = reservations",
              String.format("%d = %d", reservations.stock().sold(), rate.succeeded()),
              "yes",
              reservations.stockAddsUp()));
    }
    if (heap != null) {
      rows.add(info("heap per active cart (" + heap.opened + " carts)", heap.bytesPerCart + " B"));
      rows.add(
          target(
              "heap for 100,000 active carts",
              String.format("%.0f MB", heap.mbPer100kCarts),
              "< 512 MB",
              heap.mbPer100kCarts < 512));
    }
    return rows;
  }

  void print(PrintStream out) {
    if (database != null && !database.topStatementsByCalls.isEmpty()) {
      out.println();
      out.println("Where the transactions go: statements by calls in the counted orders phase");
      out.printf("%9s %9s %8s  %s%n", "calls", "per order", "mean ms", "statement");
      long completed = orders.completed;
      for (PostgresStats.Statement s : database.topStatementsByCalls) {
        out.printf(
            "%9d %9.2f %8.3f  %s%n",
            s.calls(), (double) s.calls() / completed, s.meanMs(), abbreviate(s.query(), 110));
      }
    }
    if (heap != null) {
      out.println();
      out.printf("What the heap grew with, %d carts (the classes that grew most)%n", heap.opened);
      if (heap.stoppedEarly != null) {
        out.println("Fewer carts than asked for: " + heap.stoppedEarly);
      }
      out.printf("%12s %11s  %s%n", "bytes", "instances", "class");
      heap.grewMost.forEach(
          g -> out.printf("%,12d %,11d  %s%n", g.bytes(), g.instances(), g.className()));
    }
    if (pgbenchMissing != null) {
      out.println();
      out.println(pgbenchMissing);
    }
    if (heapMissing != null) {
      out.println(heapMissing);
    }
    out.println();
    out.printf(ROW, "measure", "value", "÷ pgbench", "target", "met?");
    table().forEach(r -> out.printf(ROW, r.measure, r.value, r.ratio, r.target, r.met));
    if (error != null) {
      out.println("The run broke off: " + error);
    }
  }

  void write(Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("options", MAPPER.valueToTree(options));
    root.set("table", MAPPER.valueToTree(table()));
    root.putPOJO("pgbenchCommitsPerSecond", pgbenchCommitsPerSecond);
    root.put("pgbenchMissing", pgbenchMissing);
    root.set("orders", MAPPER.valueToTree(orders));
    root.set("halfRate", MAPPER.valueToTree(halfRate));
    root.set("streams", MAPPER.valueToTree(streams));
    root.set("cpu", MAPPER.valueToTree(cpu));
    root.set("database", MAPPER.valueToTree(database));
    root.set("events", MAPPER.valueToTree(events));
    root.set("reservations", MAPPER.valueToTree(reservations));
    root.set("heap", MAPPER.valueToTree(heap));
    root.put("heapMissing", heapMissing);
    root.set("processes", MAPPER.valueToTree(processes));
    root.put("error", error);
    MAPPER.writeValue(file.toFile(), root);
  }

  private Row rate(String measure, double perSecond, String target, boolean met) {
    return new Row(measure, String.format("%.1f", perSecond), ratio(perSecond), target, met(met));
  }

  private static Row target(String measure, String value, String target, boolean met) {
    return new Row(measure, value, "", target, met(met));
  }

  private static Row info(String measure, String value) {
    return new Row(measure, value, "", "", "");
  }

  private String ratio(double perSecond) {
    return pgbenchCommitsPerSecond == null
        ? ""
        : String.format("%.3f", perSecond / pgbenchCommitsPerSecond);
  }

  private static String met(boolean met) {
    return met ? "yes" : "NO";
  }

  private static String abbreviate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }
}
