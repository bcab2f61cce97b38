package storefront.tools.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storefront.Api;
import storefront.ClusterPorts;
import storefront.ConsolePage;
import storefront.ReadSide;
import storefront.Shopper;
import storefront.TestDatabase;
import storefront.node.DatabaseClient;
import storefront.tools.workload.WorkloadCommand;

/**
 * Three nodes and the database as real processes: shoppers use all nodes, the node that formed the
 * cluster is killed with kill -9 and the others down it and keep serving, the node comes back into
 * the same cluster, and stopping everything leaves no process behind. With haproxy installed, the
 * load balancer in front keeps serving through the kill; without it, asking for one says what to
 * install. A product that lives on the killed node sells out just before the kill: the restock it
 * planned arrives once on a survivor, and its sell-out and return are each notified once.
 */
class LocalClusterTest {

  @Test
  void killANodeUnderLoadAndBringItBack(@TempDir Path directory) throws Exception {
    LocalCluster cluster = new LocalCluster(directory);
    ConsolePage console = null;
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

      String soldOut = sellOutAProductOf(cluster, 1);
      // An operator watches the kill on node 2's console (where a browser is installed).
      console =
          ConsolePage.browserInstalled()
              ? ConsolePage.open(cluster.url(2), cluster.secrets().adminToken())
              : null;
      String node1 = "akka://storefront@127.0.0.1:" + cluster.ports(1).remote();
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
      if (console != null) {
        console.awaitLogLine(node1, "unreachable");
        console.awaitLogLine(node1, "removed from the cluster");
      }
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
          Set.of("completed", "canceled").contains(shopper.awaitEnded(order).text("status")));

      // It must join the running cluster, not form one of its own: members as node 1 sees them.
      cluster.restart(1);
      cluster.awaitMembersUp(3, Duration.ofSeconds(60));
      if (console != null) {
        console.awaitLogLine(node1, "joined");
      }
      assertEquals(0, shop(cluster, orders, 6));
      assertRestockedOnce(cluster, soldOut);
    } finally {
      if (console != null) {
        console.close();
      }
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

  /**
   * A new product with one unit whose entity lives on node n (Akka's default shard of an id: its
   * hash modulo 1,000 shards; node n's management lists the shards it hosts), bought by a shopper
   * through another node: sold out, its restock planned.
   */
  private static String sellOutAProductOf(LocalCluster cluster, int n) throws Exception {
    Api other = new Api(cluster.ports(n % cluster.nodes() + 1).http());
    Api operator = other.as(cluster.secrets().adminToken());
    try (DatabaseClient database = cluster.databaseClient("test-catalog")) {
      for (int attempt = 0; attempt < 60; attempt++) {
        String product = UUID.randomUUID().toString();
        TestDatabase.execute(
            database.system(),
            "INSERT INTO products (product_id, name, description, price, category_id)"
                + " SELECT $1, 'Last one', '', 9.99, category_id FROM categories LIMIT 1",
            UUID.fromString(product));
        var restocked =
            operator.post(
                "/admin/products/" + product + "/restock",
                "{\"warehouse\":\"Seattle, WA\",\"quantity\":1}");
        assertEquals(200, restocked.status(), restocked.toString());
        if (shardsOf(cluster, n).contains(String.valueOf(Math.abs(product.hashCode() % 1000)))) {
          Shopper shopper = new Shopper(other, cluster.secrets().shopperPassword());
          String user = shopper.newUser("us-west");
          String order = shopper.checkout(shopper.openCartWith(user, product, 1), "paypal");
          assertTrue(
              Set.of("completed", "canceled").contains(shopper.awaitEnded(order).text("status")));
          return product;
        }
      }
    }
    throw new AssertionError("no new product landed on node " + n + " in 60 tries");
  }

  /** The ProductStock shards node n hosts, from its management's view of its own region. */
  private static Set<String> shardsOf(LocalCluster cluster, int n) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + cluster.ports(n).management()
                                + "/cluster/shards/ProductStock"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    Set<String> shards = new HashSet<>();
    new ObjectMapper()
        .readTree(response.body())
        .path("regions")
        .forEach(region -> shards.add(region.path("shardId").asText()));
    return shards;
  }

  /**
   * The product's planned restock (100 units, 15 s after its sell-out) arrives although its node
   * was killed during the delay; once, and its sell-out and return are each notified once.
   */
  private static void assertRestockedOnce(LocalCluster cluster, String product) throws Exception {
    Api operator = new Api(cluster.ports(2).http()).as(cluster.secrets().adminToken());
    // From the read side: asking the entity would wake it, and the sweep is what must.
    String received =
        "SELECT COALESCE(sum(received), 0) FROM inventory WHERE product_id = '" + product + "'";
    try (DatabaseClient database = cluster.databaseClient("test-read-side")) {
      long deadline = System.currentTimeMillis() + 90_000;
      while (ReadSide.count(database.system(), received) < 101) {
        assertTrue(System.currentTimeMillis() < deadline, "the planned restock arrives");
        Shopper.sleep(500);
      }
      Shopper.sleep(3_000);
      assertEquals(
          101, ReadSide.count(database.system(), received), "1 unit by hand and 100 planned, once");
    }
    for (String kind : List.of("sold_out", "back_in_stock")) {
      var page = operator.get("/notifications?productId=" + product + "&kind=" + kind);
      assertEquals(1, page.body().path("items").size(), kind + ": " + page);
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
