package storefront.tools.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The periodic table and the final summary, as text or JSON. Latencies in milliseconds. */
final class Report {
  private static final String ROW = "%-13s %8s %8s %8s %8s %8s %8s %8s %8s%n";

  private Report() {}

  static void table(
      PrintStream out, String title, Map<String, Histogram> histograms, double seconds) {
    out.println(title);
    out.printf(ROW, "operation", "ops", "ops/s", "mean", "p50", "p90", "p95", "p99", "max");
    histograms.forEach(
        (name, h) -> {
          if (h.getTotalCount() > 0) {
            out.printf(
                ROW,
                name,
                h.getTotalCount(),
                String.format("%.1f", h.getTotalCount() / seconds),
                ms(h.getMean()),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(95)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getMaxValue()));
          }
        });
  }

  static void summary(PrintStream out, Stats stats) {
    double seconds = stats.elapsedSeconds();
    out.println();
    out.printf("Summary after %.1f s%n", seconds);
    table(out, "Latency per operation (ms), whole run:", stats.totals(), seconds);
    out.println("Outcomes:");
    stats.outcomes().forEach((outcome, count) -> out.printf("  %-40s %8d%n", outcome, count));
    out.printf(
        "Completed orders: %d (%.1f orders/s)%n",
        stats.outcomeCount("order completed"), stats.outcomeCount("order completed") / seconds);
    RequestCounts failover = stats.requestCounts();
    out.printf(
        "Requests: %d attempts failed (no node reached, or 503), %d succeeded on a retry,"
            + " %d lost after retrying%n",
        failover.failedAttempts(), failover.succeededOnRetry(), failover.lostAfterRetry());
    Map<String, Long> errors = stats.errors();
    out.println(errors.isEmpty() ? "Errors: none" : "Errors and refusals:");
    errors.forEach((kind, count) -> out.printf("  %-60s %8d%n", kind, count));
  }

  static String json(Stats stats) {
    ObjectMapper mapper = new ObjectMapper();
    double seconds = stats.elapsedSeconds();
    ObjectNode root = mapper.createObjectNode();
    root.put("elapsedSeconds", seconds);
    root.put("completedOrders", stats.outcomeCount("order completed"));
    root.put("ordersPerSecond", stats.outcomeCount("order completed") / seconds);
    root.put("cpuSeconds", stats.cpuSeconds());
    ObjectNode outcomes = root.putObject("outcomes");
    stats.outcomes().forEach(outcomes::put);
    ObjectNode latency = root.putObject("latencyMs");
    stats
        .totals()
        .forEach(
            (name, h) -> {
              ObjectNode op = latency.putObject(name);
              op.put("count", h.getTotalCount());
              op.put("mean", h.getMean() / 1000.0);
              op.put("p50", h.getValueAtPercentile(50) / 1000.0);
              op.put("p90", h.getValueAtPercentile(90) / 1000.0);
              op.put("p95", h.getValueAtPercentile(95) / 1000.0);
              op.put("p99", h.getValueAtPercentile(99) / 1000.0);
              op.put("max", h.getMaxValue() / 1000.0);
            });
    RequestCounts failover = stats.requestCounts();
    ObjectNode requests = root.putObject("requests");
    requests.put("failedAttempts", failover.failedAttempts());
    requests.put("succeededOnRetry", failover.succeededOnRetry());
    requests.put("lostAfterRetry", failover.lostAfterRetry());
    ObjectNode errors = root.putObject("errors");
    stats.errors().forEach(errors::put);
    return root.toPrettyString();
  }

  private static String ms(double micros) {
    return String.format("%.1f", micros / 1000.0);
  }
}
