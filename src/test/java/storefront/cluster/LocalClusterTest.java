package storefront.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storefront.Api;
import storefront.ClusterPorts;
import storefront.Shopper;
import storefront.workload.WorkloadCommand;

/**
 * Three nodes and the database as real processes: shoppers use all nodes, the node that formed the
 * cluster is killed with kill -9 and the others down it and keep serving, the node comes back into
 * the same cluster, and stopping everything leaves no process behind. With haproxy installed, the
 * load balancer in front keeps serving through the kill; without it, asking for one says what to
 * install.
 */
class LocalClusterTest {

  @Test
  void killANodeUnderLoadAndBringItBack(@TempDir Path directory) throws Exception {
    LocalCluster cluster = new LocalCluster(directory);
    try {
      ClusterPorts ports = ClusterPorts.free(3);
      cluster.start(
          3, ports.database(), ports.httpBase(), ports.remoteBase(), ports.managementBase());
      assertEquals(3, cluster.membersUp());
      boolean haproxy = LoadBalancer.binary().isPresent();
      if (haproxy) {
        cluster.startLoadBalancer(ports.haproxy());
      } else {
        var refused =
            assertThrows(
                IllegalStateException.class, () -> cluster.startLoadBalancer(ports.haproxy()));
        assertTrue(refused.getMessage().contains("apt-get install haproxy"));
      }

      Path orders = directory.resolve("acknowledged.txt");
      Shopper users =
          new Shopper(new Api(cluster.ports(1).http()), cluster.secrets().shopperPassword());
      for (int i = 0; i < 3; i++) {
        users.newUser("us-west");
      }
      assertEquals(0, shop(cluster, orders, 12));

      // Node 1 formed the cluster and is the oldest: the shard coordinator moves as well.
      cluster.kill(1);
      assertFalse(cluster.alive(1));
      if (haproxy) {
        // Its health checks take the dead node out of rotation within seconds.
        Api balanced = new Api(ports.haproxy());
        Shopper.sleep(3_000);
        for (int i = 0; i < 12; i++) {
          assertEquals(200, balanced.get("/categories").status(), "request " + i);
        }
        assertSlowHeadIsCutOff(ports.haproxy());
      }
      cluster.awaitMembersUp(2, Duration.ofSeconds(60));
      // Shards that lived on the dead node start on the survivors; until then the shop answers
      // 503, which says retrying is safe, and a client retries.
      Api survivor = new Api(cluster.ports(2).http());
      Shopper shopper = new Shopper(survivor);
      String order =
          eventually(
              () -> {
                String product =
                    survivor
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

      // It must join the running cluster, not form one of its own: members as node 1 sees them.
      cluster.restart(1);
      cluster.awaitMembersUp(3, Duration.ofSeconds(60));
      assertEquals(0, shop(cluster, orders, 6));
    } finally {
      cluster.stopAll();
    }
    for (int n = 1; n <= 3; n++) {
      assertFalse(cluster.alive(n), "node " + n + " stopped");
    }
    assertFalse(cluster.loadBalancerRunning(), "haproxy stopped");
  }

  /** A client that never finishes its request's head (slowloris) gets 408 after 10 s. */
  private static void assertSlowHeadIsCutOff(int port) throws IOException {
    try (Socket slow = new Socket("127.0.0.1", port)) {
      slow.getOutputStream().write("GET /categories HTTP/1.1\r\nHost: shop\r\n".getBytes(UTF_8));
      slow.setSoTimeout(20_000);
      long start = System.nanoTime();
      String answer = new String(slow.getInputStream().readNBytes(12), UTF_8);
      long waited = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      assertEquals("HTTP/1.1 408", answer);
      assertTrue(waited >= 9 && waited <= 15, "cut off after " + waited + " s");
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

  /** Shoppers on every node, and through HAProxy when it runs. */
  private static int shop(LocalCluster cluster, Path orders, int visits) {
    return new CommandLine(new WorkloadCommand())
        .execute(
            "--target", cluster.url(1),
            "--target", cluster.url(2),
            "--target", cluster.url(3),
            "--target", cluster.loadBalancerUrl().orElse(cluster.url(1)),
            "--region", "us-west",
            "--admin-token", cluster.secrets().adminToken(),
            "--shopper-password", cluster.secrets().shopperPassword(),
            "--iterations", String.valueOf(visits),
            "--concurrency", "3",
            "--order-lines", "none",
            "--orders-file", orders.toString());
  }
}
