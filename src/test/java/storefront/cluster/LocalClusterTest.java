package storefront.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.Api;
import storefront.Shopper;
import storefront.TestDatabase;
import storefront.workload.WorkloadCommand;

/**
 * Three nodes and the database as real processes: shoppers use all nodes, a node is killed with
 * kill -9 and the cluster downs it and keeps serving, the node comes back, and stopping everything
 * leaves no process behind.
 */
class LocalClusterTest {

  @Test
  void killANodeUnderLoadAndBringItBack() throws Exception {
    Path directory = Files.createTempDirectory("local-cluster");
    LocalCluster cluster = new LocalCluster(directory);
    try {
      cluster.start(
          3,
          TestDatabase.freePortRange(1),
          TestDatabase.freePortRange(3),
          TestDatabase.freePortRange(3),
          TestDatabase.freePortRange(3));
      assertEquals(3, cluster.membersUp());

      Path orders = directory.resolve("acknowledged.txt");
      assertEquals(0, shop(cluster, orders, 12));

      cluster.kill(3);
      assertFalse(cluster.alive(3));
      cluster.awaitMembersUp(2, Duration.ofSeconds(60));
      // Shards that lived on the dead node start on the survivors; until then the shop answers
      // 503, which says retrying is safe, and a client retries.
      Api first = new Api(cluster.ports(1).http());
      Shopper shopper = new Shopper(first);
      String order =
          eventually(
              () -> {
                String product =
                    first
                        .get("/products?size=1")
                        .body()
                        .path("items")
                        .get(0)
                        .path("productId")
                        .asText();
                String cart = shopper.openCart(shopper.newUser("us-east"));
                shopper.add(cart, product, 1);
                return shopper.checkout(cart, "paypal");
              });
      assertTrue(
          java.util.Set.of("completed", "canceled")
              .contains(shopper.awaitEnded(order).text("status")));

      cluster.restart(3);
      cluster.awaitMembersUp(3, Duration.ofSeconds(60));
      assertEquals(0, shop(cluster, orders, 6));
    } finally {
      cluster.stopAll();
    }
    for (int n = 1; n <= 3; n++) {
      assertFalse(cluster.alive(n), "node " + n + " stopped");
    }
  }

  private static <T> T eventually(java.util.function.Supplier<T> step) {
    long deadline = System.currentTimeMillis() + 60_000;
    while (true) {
      try {
        return step.get();
      } catch (AssertionError e) {
        if (System.currentTimeMillis() > deadline) {
          throw e;
        }
        Shopper.sleep(500);
      }
    }
  }

  private static int shop(LocalCluster cluster, Path orders, int visits) {
    return new CommandLine(new WorkloadCommand())
        .execute(
            "--target", cluster.url(1),
            "--target", cluster.url(2),
            "--target", cluster.url(3),
            "--region", "us-west",
            "--iterations", String.valueOf(visits),
            "--concurrency", "3",
            "--order-lines", "none",
            "--orders-file", orders.toString());
  }
}
