package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import analytics.AnalyticsQueries;
import cart.ShoppingCart;
import catalog.Product;
import catalog.SampleCatalog;
import common.Reply;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import order.Order;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * Checkouts keep completing while analytics are hammered with queries that do not finish. The
 * analytics are made slow without data: another session holds a lock on a table the popularity view
 * reads (categories, which no checkout touches), so every analytics query waits on it with its
 * connection held, as a long scan would. Shoppers are driven through the entities, not HTTP.
 */
class AnalyticsCannotStarveCheckoutsTest {
  /** Concurrent analytics callers: twice the size of the one pool the shop used to have. */
  private static final int ANALYSTS = 40;

  private static final Duration HAMMERED_FOR = Duration.ofSeconds(12);

  /** A checkout that takes longer than the shop's ask timeout has failed for its shopper. */
  private static final Duration CHECKOUT_BOUND = Duration.ofSeconds(5);

  private static Node node;
  private static ActorTestKit lockHolder;

  @BeforeAll
  static void start() {
    node = TestNode.start("");
    // Its own actor system, so the lock's connection comes from none of the node's pools.
    lockHolder = TestDatabase.actorTestKit("AnalyticsLockHolder");
  }

  @AfterAll
  static void stop() {
    node.close();
    lockHolder.shutdownTestKit();
  }

  @Test
  void checkoutsCompleteWhileAnalyticsAreHammered() throws Exception {
    AnalyticsQueries analytics = new AnalyticsQueries(node.system());
    checkout(0); // the node is warm: entities, pools and the gateway ledger answered once

    TestDatabase.TableLock lock = TestDatabase.lock(lockHolder.system(), "categories");
    AtomicBoolean hammering = new AtomicBoolean(true);
    AtomicInteger answeredWhileLocked = new AtomicInteger();
    AtomicInteger inFlight = new AtomicInteger();
    List<CompletableFuture<Void>> analysts =
        IntStream.range(0, ANALYSTS)
            .mapToObj(i -> analyst(analytics, hammering, lock, inFlight, answeredWhileLocked))
            .toList();
    try {
      Shopper.sleep(500); // the analytics have taken what connections they can get
      long end = System.nanoTime() + HAMMERED_FOR.toNanos();
      int checkouts = 0;
      long slowest = 0;
      while (System.nanoTime() < end) {
        long started = System.nanoTime();
        String status = checkout(++checkouts);
        long took = (System.nanoTime() - started) / 1_000_000;
        slowest = Math.max(slowest, took);
        assertEquals("completed", status, "checkout " + checkouts);
        assertTrue(took <= CHECKOUT_BOUND.toMillis(), "checkout " + checkouts + " took " + took);
      }
      assertTrue(checkouts >= 5, "checkouts completed while hammered: " + checkouts);
      assertTrue(inFlight.get() > 0, "analytics were still waiting when the hammering ended");
      assertEquals(0, answeredWhileLocked.get(), "no analytics query got past the lock");
      System.out.printf(
          "%d checkouts while %d analytics callers were blocked, slowest %d ms%n",
          checkouts, ANALYSTS, slowest);
    } finally {
      hammering.set(false);
      lock.close();
      CompletableFuture.allOf(analysts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }
  }

  /** Calls the popularity view again and again until told to stop; failures count as answers. */
  private static CompletableFuture<Void> analyst(
      AnalyticsQueries analytics,
      AtomicBoolean hammering,
      TestDatabase.TableLock lock,
      AtomicInteger inFlight,
      AtomicInteger answeredWhileLocked) {
    if (!hammering.get()) {
      return CompletableFuture.completedFuture(null);
    }
    inFlight.incrementAndGet();
    return analytics
        .popularity(10, 0)
        .handle(
            (rows, error) -> {
              inFlight.decrementAndGet();
              if (error == null && !lock.released()) {
                answeredWhileLocked.incrementAndGet();
              }
              return null;
            })
        .thenCompose(ignored -> analyst(analytics, hammering, lock, inFlight, answeredWhileLocked))
        .toCompletableFuture();
  }

  /** A shopper opens a cart with one line, checks out and waits for the order's end. */
  private static String checkout(int shopper) throws Exception {
    List<Product> products = SampleCatalog.products();
    Product product = products.get(shopper % products.size());
    String cartId = UUID.randomUUID().toString();
    ActorSystem<?> system = node.system();
    Reply<ShoppingCart.CartView> opened =
        ShoppingCart.entityRef(system, cartId)
            .<Reply<ShoppingCart.CartView>>ask(
                replyTo ->
                    new ShoppingCart.Open(
                        UUID.randomUUID().toString(),
                        "us-west",
                        List.of(new ShoppingCart.NewLine(product.productId(), 1, product.price())),
                        replyTo),
                CHECKOUT_BOUND)
            .toCompletableFuture()
            .get();
    assertTrue(opened instanceof Reply.Accepted, "opened: " + opened);
    Reply<ShoppingCart.CheckedOut> checkedOut =
        ShoppingCart.entityRef(system, cartId)
            .<Reply<ShoppingCart.CheckedOut>>ask(
                replyTo -> new ShoppingCart.Checkout("credit card", replyTo), CHECKOUT_BOUND)
            .toCompletableFuture()
            .get();
    String orderId = checkedOut.value().orderId();
    Reply<Order.OrderView> ended =
        Order.entityRef(system, orderId)
            .<Reply<Order.OrderView>>ask(Order.AwaitEnd::new, CHECKOUT_BOUND)
            .toCompletableFuture()
            .get();
    return ended.value().status();
  }
}
