package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import cart.ShoppingCart;
import catalog.SampleCatalog;
import java.util.Set;
import java.util.stream.Collectors;
import order.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Carts and orders that have ended leave memory once idle for storefront.ended-entity-idle (1 s
 * here), and answer again from the journal when asked; an active cart stays.
 */
class EndedEntitiesLeaveMemoryTest {
  private static Node node;
  private static Api api;
  private static Shopper shopper;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.ended-entity-idle = 1s");
    api = new Api(node.httpPort());
    shopper = new Shopper(api);
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static Set<String> running(EntityTypeKey<?> type) {
    TestProbe<ShardRegion.CurrentShardRegionState> probe = TestProbe.create(node.system());
    ClusterSharding.get(node.system())
        .shardState()
        .tell(new GetShardRegionState(type, probe.ref()));
    return probe.receiveMessage().getShards().stream()
        .flatMap(shard -> shard.getEntityIds().stream())
        .collect(Collectors.toSet());
  }

  @Test
  void endedCartsAndOrdersLeaveMemoryAndAnswerAgainFromTheJournal() {
    String user = shopper.newUser("us-west");
    String product = SampleCatalog.products().get(2).productId();
    String active = shopper.openCart(user);
    shopper.add(active, product, 1);
    String checkedOut = shopper.openCart(user);
    shopper.add(checkedOut, product, 1);
    String orderId = shopper.checkout(checkedOut, "paypal");
    assertEquals("completed", shopper.awaitEnded(orderId).text("status"));
    String givenUp = shopper.openCart(user);
    assertEquals(200, api.delete("/carts/" + givenUp).status());

    long deadline = System.currentTimeMillis() + 20_000;
    while (running(ShoppingCart.ENTITY_KEY).contains(givenUp)
        || running(ShoppingCart.ENTITY_KEY).contains(checkedOut)
        || running(Order.ENTITY_KEY).contains(orderId)) {
      assertTrue(System.currentTimeMillis() < deadline, "ended entities leave memory");
      Shopper.sleep(200);
    }
    assertTrue(running(ShoppingCart.ENTITY_KEY).contains(active), "an active cart stays");

    assertEquals("canceled", api.get("/carts/" + givenUp).text("status"));
    assertEquals("inactive", api.get("/carts/" + checkedOut).text("status"));
    assertEquals("completed", api.get("/orders/" + orderId).text("status"));
  }
}
