package storefront.tools.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A very short benchmark run as its own process on the built classes, as an operator runs it: every
 * measure of its JSON report is a real figure, the hot product's stock adds up, and no process it
 * started (database, node, workload, pgbench, jcmd) is left running, nor its directory.
 */
class BenchmarkCommandTest {
  private static final int CARTS = 500;

  @Test
  void aShortRunMeasuresEveryFigureAndLeavesNothingRunning(@TempDir Path directory)
      throws Exception {
    Path reportFile = directory.resolve("report.json");
    Path output = directory.resolve("benchmark.log");
    Process benchmark =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "storefront.Main",
                "benchmark",
                "--phase",
                "3s",
                "--warmup",
                "2s",
                "--carts",
                String.valueOf(CARTS),
                "--concurrency",
                "8",
                "--hot-callers",
                "16",
                "--idle-streams",
                "50",
                "--streams-settle",
                "2s",
                "--shoppers",
                "8",
                "--json-file",
                reportFile.toString())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    try {
      assertTrue(benchmark.waitFor(6, TimeUnit.MINUTES), "the benchmark ended");
    } finally {
      // SIGTERM first: its shutdown hook stops what it started.
      benchmark.destroy();
      if (!benchmark.waitFor(1, TimeUnit.MINUTES)) {
        benchmark.destroyForcibly();
      }
    }
    String printed = Files.readString(output);
    assertEquals(0, benchmark.exitValue(), printed);
    JsonNode report = new ObjectMapper().readTree(reportFile.toFile());
    String context = printed + "\n" + report.toPrettyString();

    JsonNode orders = report.path("orders");
    assertTrue(orders.path("completed").asLong() > 0, context);
    assertTrue(orders.path("ordersPerSecond").asDouble() > 0, context);
    assertTrue(orders.path("checkoutMs").path("p99").asDouble() > 0, context);
    assertTrue(orders.path("visitMs").path("p50").asDouble() > 0, context);
    JsonNode halfRate = report.path("halfRate");
    assertEquals(
        orders.path("visitsPerSecond").asDouble() / 2,
        halfRate.path("openLoopRate").asDouble(),
        1e-9);
    assertTrue(halfRate.path("checkoutMs").path("p99").asDouble() > 0, context);

    JsonNode streams = report.path("streams");
    assertEquals(50, streams.path("clients").asInt(), context);
    for (String run : List.of("before", "with", "after")) {
      assertTrue(streams.path(run).path("checkoutMs").path("p99").asDouble() > 0, run + context);
    }

    JsonNode cpu = report.path("cpu");
    for (String process : List.of("nodeMsPerOrder", "databaseMsPerOrder", "loadMsPerOrder")) {
      assertTrue(cpu.path(process).asDouble() > 0, process + ": " + context);
    }
    JsonNode database = report.path("database");
    assertTrue(database.path("transactionsPerOrder").asDouble() > 0, context);
    assertTrue(database.path("insertedPerOrder").asDouble() > 0, context);
    assertTrue(database.path("topStatementsByCalls").size() > 0, context);

    if (report.path("pgbenchMissing").isNull()) {
      assertTrue(report.path("pgbenchCommitsPerSecond").asDouble() > 0, context);
    }

    assertTrue(report.path("events").path("succeeded").asLong() > 0, context);
    JsonNode reservations = report.path("reservations");
    assertEquals(16, reservations.path("rate").path("callers").asInt(), context);
    long reserved = reservations.path("rate").path("succeeded").asLong();
    JsonNode stock = reservations.path("stock");
    assertTrue(reserved > 0, context);
    assertEquals(reserved, stock.path("sold").asLong(), "every unit sold was a reservation");
    assertEquals(
        stock.path("received").asLong(),
        stock.path("available").asLong()
            + stock.path("reserved").asLong()
            + stock.path("sold").asLong(),
        "the hot product's stock adds up");

    JsonNode heap = report.path("heap");
    assertEquals(CARTS, heap.path("opened").asLong(), context);
    assertTrue(heap.path("bytesPerCart").asLong() > 0, context);
    assertTrue(heap.path("grewMost").size() > 0, context);

    JsonNode processes = report.path("processes");
    for (String name :
        List.of("db", "postmaster", "node-1", "datagen", "orders", "half-rate", "listen")) {
      assertTrue(processes.has(name), name + " was started and noted: " + processes);
    }
    processes
        .fields()
        .forEachRemaining(
            process ->
                assertFalse(
                    ProcessHandle.of(process.getValue().asLong())
                        .map(ProcessHandle::isAlive)
                        .orElse(false),
                    process.getKey() + " (pid " + process.getValue() + ") still runs"));
    assertFalse(
        Files.exists(Path.of(report.path("options").path("directory").asText())),
        "the run's directory is removed");
  }
}
