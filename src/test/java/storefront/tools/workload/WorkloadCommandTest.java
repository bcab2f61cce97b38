package storefront.tools.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storefront.Api;
import storefront.Shopper;
import storefront.TestNode;
import storefront.node.Node;
import storefront.tools.Durations;

/** The workload against a real node: it completes orders, and its counts match the read side. */
class WorkloadCommandTest {
  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.decline-rate = 0.1");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void theSummaryCountsMatchTheReadSide(@TempDir Path directory) throws Exception {
    Path orders = directory.resolve("acknowledged-orders.txt");
    Path summaryFile = directory.resolve("workload-summary.json");
    Shopper shoppers = new Shopper(new Api(node.httpPort()));
    for (int i = 0; i < 4; i++) {
      shoppers.newUser("us-east");
    }
    int exit =
        new CommandLine(new WorkloadCommand())
            .registerConverter(java.time.Duration.class, Durations::parse)
            .execute(
                "--target",
                "http://127.0.0.1:" + node.httpPort(),
                "--region",
                "us-east",
                "--admin-token",
                TestNode.ADMIN_TOKEN,
                "--shopper-password",
                TestNode.PASSWORD,
                "--iterations",
                "30",
                "--concurrency",
                "4",
                "--summary-file",
                summaryFile.toString(),
                "--orders-file",
                orders.toString());
    assertEquals(0, exit);
    JsonNode summary = new ObjectMapper().readTree(summaryFile.toFile());
    List<String> acknowledged =
        Files.readAllLines(orders).stream().map(line -> line.split(" ")[0]).toList();

    long completed = summary.path("outcomes").path("order completed").asLong();
    assertTrue(completed > 0, summary.toString());
    assertEquals(summary.path("completedOrders").asLong(), completed);
    assertTrue(
        summary.path("latencyMs").path("checkout").path("count").asLong() >= acknowledged.size());

    Map<String, Long> readSide = awaitStatuses(acknowledged);
    assertEquals(
        completed, readSide.getOrDefault("completed", 0L), "completed orders: " + readSide);
    long canceled =
        summary.path("outcomes").path("order canceled (payment declined)").asLong()
            + summary.path("outcomes").path("order canceled (out of stock)").asLong();
    assertEquals(canceled, readSide.getOrDefault("canceled", 0L), "canceled orders: " + readSide);
    assertEquals(acknowledged.size(), readSide.values().stream().mapToLong(Long::longValue).sum());
  }

  /** Order statuses of the read side for these orders, once every one of them is there. */
  private Map<String, Long> awaitStatuses(List<String> orderIds) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (true) {
      List<String> statuses =
          R2dbcSession.withSession(
                  node.system(),
                  session ->
                      session.select(
                          session
                              .createStatement(
                                  "SELECT order_status FROM orders WHERE order_id = ANY($1)"
                                      + " AND order_status IN ('completed', 'canceled')")
                              .bind(
                                  0, orderIds.stream().map(UUID::fromString).toArray(UUID[]::new)),
                          row -> row.get(0, String.class)))
              .toCompletableFuture()
              .join();
      if (statuses.size() == orderIds.size() || System.currentTimeMillis() > deadline) {
        return statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
      }
      Thread.sleep(200);
    }
  }
}
