package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import catalog.SampleCatalog;
import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/** Two nodes in one cluster: any node answers any request; sharding routes it. */
class TwoNodeClusterHttpTest {
  private static Node first;
  private static Node second;

  @BeforeAll
  static void startCluster() {
    first = TestNode.start("");
    second = TestNode.join(TestNode.remotePort(first));
    long deadline = System.currentTimeMillis() + 30_000;
    while (upMembers(first) < 2) {
      assertTrue(System.currentTimeMillis() < deadline, "both nodes are Up");
      Shopper.sleep(100);
    }
  }

  @AfterAll
  static void stopCluster() {
    second.close();
    first.close();
  }

  private static long upMembers(Node node) {
    return StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .count();
  }

  @Test
  void aShopperMayUseAnyNodeForAnyStep() {
    Api viaFirst = new Api(first.httpPort());
    Api viaSecond = new Api(second.httpPort());
    String product = SampleCatalog.products().get(6).productId();
    String cartId = new Shopper(viaFirst).openCart(new Shopper(viaSecond).newUser("us-west"));
    for (int i = 0; i < 3; i++) {
      new Shopper(i % 2 == 0 ? viaSecond : viaFirst).add(cartId, product, 1);
    }
    assertEquals(
        3, viaFirst.get("/carts/" + cartId).body().path("items").get(0).path("quantity").asInt());
    String orderId = new Shopper(viaSecond).checkout(cartId, "credit card");
    assertEquals(orderId, new Shopper(viaFirst).checkout(cartId, "credit card"));
    assertEquals("completed", new Shopper(viaFirst).awaitEnded(orderId).text("status"));
    assertEquals("completed", viaSecond.get("/orders/" + orderId).text("status"));
  }

  @Test
  void eitherNodeListsBothMembersWithTheirWebAddressesAndShards() {
    Shopper shopper = new Shopper(new Api(first.httpPort()));
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    for (Node node : new Node[] {first, second}) {
      // Each node's web address reaches the other through the receptionist, and membership by
      // gossip, shortly after start.
      Api.Response cluster = clusterWithEveryMemberUpAndAddressed(node);
      assertEquals(200, cluster.status());
      assertEquals(node.system().address().toString(), cluster.text("servedBy"));
      var members = cluster.body().path("members");
      assertEquals(2, members.size());
      for (var member : members) {
        assertEquals("Up", member.path("status").asText());
        assertTrue(member.path("reachable").asBoolean());
        Node which =
            member.path("address").asText().equals(first.system().address().toString())
                ? first
                : second;
        assertEquals(
            "http://127.0.0.1:" + which.httpPort(), member.path("httpUrl").asText(), "web address");
      }
      int carts = 0;
      for (var member : members) {
        carts += member.path("shards").path("ShoppingCart").path("entities").asInt();
        assertTrue(member.path("ordersEnded").path("completed").asLong() >= 0, member.toString());
      }
      assertTrue(carts >= 1, "the open cart " + cartId + " lives on one of them: " + members);
    }
    assertEquals(401, new Api(first.httpPort()).anonymous().get("/cluster").status());
  }

  private static Api.Response clusterWithEveryMemberUpAndAddressed(Node node) {
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      Api.Response cluster = new Api(node.httpPort()).asOperator().get("/cluster");
      boolean settled = true;
      for (var member : cluster.body().path("members")) {
        // The joining node may still see itself Joining for a gossip round after the other
        // saw it Up.
        settled &=
            member.path("httpUrl").isTextual() && member.path("status").asText().equals("Up");
      }
      if (settled || System.currentTimeMillis() > deadline) {
        return cluster;
      }
      Shopper.sleep(200);
    }
  }

  @Test
  void aStreamOnOneNodeSeesAStockChangeMadeThroughTheOtherWithinASecond() throws Exception {
    String product = Admin.newProduct(first);
    Admin.restock(new Api(second.httpPort()), product, "Chicago, IL", 5);
    try (EventStreamClient stream =
        new EventStreamClient(first.httpPort(), "/stream/stock?products=" + product, null)) {
      assertEquals(200, stream.status());
      // The stream starts with the current level, once the read side has it.
      assertTrue(
          stream.await(e -> e.data().contains("\"available\":5"), Duration.ofSeconds(10)) != null,
          "the current level first");
      Admin.restock(new Api(second.httpPort()), product, "Chicago, IL", 7);
      long restocked = System.nanoTime();
      EventStreamClient.Event changed =
          stream.await(
              e -> e.name().equals("stock") && e.data().contains("\"available\":12"),
              Duration.ofSeconds(5));
      assertTrue(changed != null, "the change reaches the other node's stream");
      Duration after = Duration.ofNanos(changed.arrivedNanos() - restocked);
      assertTrue(after.compareTo(Duration.ofSeconds(1)) < 0, "within a second: " + after);
    }
  }
}
