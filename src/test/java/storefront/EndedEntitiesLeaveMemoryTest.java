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
import common.Reply;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import order.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * Carts and orders that have ended leave memory once idle for storefront.ended-entity-idle (1 s
 * here), and answer again from the journal when asked; an active cart stays.
 */
class EndedEntitiesLeaveMemoryTest {
  private static final int MADE_UP_IDS = 100_000;
  private static final int BATCH = 1_000;

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
    // One active cart at a time: each opens after the one before ended.
    String checkedOut = shopper.openCart(user);
    shopper.add(checkedOut, product, 1);
    String orderId = shopper.checkout(checkedOut, "paypal");
    assertEquals("completed", shopper.awaitEnded(orderId).text("status"));
    String givenUp = shopper.openCart(user);
    assertEquals(200, api.delete("/carts/" + givenUp).status());
    String active = shopper.openCart(user);
    shopper.add(active, product, 1);

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

  /**
   * A flood of reads of ids nobody created (100,000: half carts, half orders) answers "not found"
   * and leaves nothing in memory: otherwise each would stay for sharding's ten minutes, and the
   * flood would hold hundreds of megabytes. Checked twice: no made-up id is running afterwards, and
   * the heap after a full collection grew by far less than the flood would have kept.
   */
  @Test
  void aFloodOfMadeUpIdsLeavesNothingInMemory() {
    String user = shopper.newUser("us-east");
    Duration timeout = Duration.ofSeconds(30);
    Set<String> carts = new HashSet<>();
    Set<String> orders = new HashSet<>();
    long heapBefore = heapAfterCollection();
    for (int batch = 0; batch < MADE_UP_IDS / BATCH; batch++) {
      List<CompletableFuture<?>> asks = new ArrayList<>();
      for (int i = 0; i < BATCH / 2; i++) {
        String cartId = UUID.randomUUID().toString();
        String orderId = UUID.randomUUID().toString();
        carts.add(cartId);
        orders.add(orderId);
        asks.add(
            ShoppingCart.entityRef(node.system(), cartId)
                .<Reply<ShoppingCart.CartView>>ask(
                    r -> new ShoppingCart.ByShopper(user, new ShoppingCart.Get(r)), timeout)
                .toCompletableFuture());
        asks.add(
            Order.entityRef(node.system(), orderId)
                .<Reply<Order.OrderView>>ask(Order.Get::new, timeout)
                .toCompletableFuture());
      }
      asks.forEach(
          answer ->
              assertTrue(answer.join() instanceof Reply.Rejected, "not found: " + answer.join()));
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (running(ShoppingCart.ENTITY_KEY).stream().anyMatch(carts::contains)
        || running(Order.ENTITY_KEY).stream().anyMatch(orders::contains)) {
      assertTrue(System.currentTimeMillis() < deadline, "made-up ids leave memory at once");
      Shopper.sleep(100);
    }
    carts.clear();
    orders.clear();
    // 100,000 entities kept would hold ~400 MB (a recovered, empty entity with its shard entry
    // and actor cell is ~4 KB); what may remain is the node's own caches.
    long grown = heapAfterCollection() - heapBefore;
    assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MB after the flood");
  }

  private static long heapAfterCollection() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
