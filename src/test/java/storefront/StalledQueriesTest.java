package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import cart.StalledCheckouts;
import common.Stalled;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import order.UnfinishedOrders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.UnplacedCheckouts;

/**
 * The read-side queries behind the stalled-process sweeper, on the real database: pages in
 * (updated_at, id) order after a cursor, and only what is stalled. The rows here are from the year
 * 2000, older than anything other tests write, so they come first.
 */
class StalledQueriesTest {
  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final Instant Y2K = Instant.parse("2000-01-01T00:00:00Z");
  private static ActorTestKit testKit;
  private final List<UUID> orders = new ArrayList<>();
  private final List<UUID> carts = new ArrayList<>();

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("StalledQueriesTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * The rows are made up, with no journal behind them: removed after each test, so that the audit
   * tests sharing this database see only real orders and carts.
   */
  @AfterEach
  void removeMadeUpRows() {
    execute("DELETE FROM orders WHERE order_id = ANY($1)", (Object) orders.toArray(UUID[]::new));
    execute("DELETE FROM carts WHERE cart_id = ANY($1)", (Object) carts.toArray(UUID[]::new));
    orders.clear();
    carts.clear();
  }

  private void order(UUID orderId, String status, Instant updatedAt) {
    orders.add(orderId);
    execute(
        "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
            + " payment_method, created_at, updated_at) VALUES ($1, $2, $3, 'us-west', $4, 1,"
            + " 'paypal', $5, $5)",
        orderId,
        UUID.randomUUID(),
        UUID.randomUUID(),
        status,
        updatedAt);
  }

  private void checkedOutCart(UUID cartId, UUID orderId, Instant updatedAt) {
    carts.add(cartId);
    execute(
        "INSERT INTO carts (cart_id, user_id, region, status, order_id, created_at, updated_at)"
            + " VALUES ($1, $2, 'us-west', 'checked_out', $3, $4, $4)",
        cartId,
        UUID.randomUUID(),
        orderId,
        updatedAt);
  }

  private void activeCart(UUID cartId, Instant updatedAt) {
    carts.add(cartId);
    execute(
        "INSERT INTO carts (cart_id, user_id, region, status, created_at, updated_at)"
            + " VALUES ($1, $2, 'us-west', 'active', $3, $3)",
        cartId,
        UUID.randomUUID(),
        updatedAt);
  }

  @Test
  void activeCartsUnchangedPastTheExpiryAreDue() {
    UUID abandoned = UUID.randomUUID();
    activeCart(abandoned, Y2K.plusSeconds(20));
    UUID fresh = UUID.randomUUID();
    activeCart(fresh, Instant.now());
    StalledCheckouts checkouts = new StalledCheckouts(testKit.system());

    List<UUID> due =
        ids(
            checkouts
                .expired(Duration.ofHours(24), Stalled.START, 1000)
                .toCompletableFuture()
                .join());
    assertEquals(abandoned, due.get(0));
    assertEquals(List.of(), due.stream().filter(fresh::equals).toList(), "changed just now");
  }

  private static void execute(String sql, Object... values) {
    TestDatabase.execute(testKit.system(), sql, values);
  }

  private static List<UUID> ids(List<Stalled> page) {
    return page.stream().map(Stalled::id).toList();
  }

  @Test
  void unfinishedOrdersComePageByPageAfterTheCursor() {
    UUID o1 = UUID.randomUUID();
    UUID o2 = UUID.randomUUID();
    UUID o3 = UUID.randomUUID();
    order(UUID.randomUUID(), "completed", Y2K);
    order(o1, "placed", Y2K.plusSeconds(1));
    order(o2, "paid", Y2K.plusSeconds(2));
    order(o3, "canceling", Y2K.plusSeconds(3));
    UnfinishedOrders unfinished = new UnfinishedOrders(testKit.system());

    List<Stalled> first = unfinished.idleFor(IDLE, Stalled.START, 2).toCompletableFuture().join();
    assertEquals(List.of(o1, o2), ids(first));
    List<Stalled> second = unfinished.idleFor(IDLE, first.get(1), 2).toCompletableFuture().join();
    assertEquals(o3, second.get(0).id(), "the page after the cursor, not the oldest again");
  }

  @Test
  void completedOrdersComeUntilTheyShip() {
    UUID unshipped = UUID.randomUUID();
    UUID shipped = UUID.randomUUID();
    order(unshipped, "completed", Y2K.plusSeconds(1));
    order(shipped, "completed", Y2K.plusSeconds(2));
    execute(
        "UPDATE orders SET carrier = 'SX', tracking_number = 'SX1', shipped_at = now()"
            + " WHERE order_id = $1",
        shipped);
    order(UUID.randomUUID(), "canceled", Y2K.plusSeconds(3));
    order(UUID.randomUUID(), "paid", Y2K.plusSeconds(4));
    UnfinishedOrders unfinished = new UnfinishedOrders(testKit.system());

    List<Stalled> page =
        unfinished.unshippedFor(IDLE, Stalled.START, 100).toCompletableFuture().join();
    assertEquals(List.of(unshipped), ids(page).stream().filter(orders::contains).toList());
    assertEquals(
        List.of(),
        ids(unfinished.unshippedFor(IDLE, page.get(0), 100).toCompletableFuture().join()).stream()
            .filter(orders::contains)
            .toList(),
        "nothing of it after its own cursor");
  }

  @Test
  void checkoutsWithoutAnOrderAndEndedOrdersWhoseCartWasNotTold() {
    UUID unplacedCart = UUID.randomUUID();
    checkedOutCart(unplacedCart, UUID.randomUUID(), Y2K.plusSeconds(10));
    UUID endedOrder = UUID.randomUUID();
    order(endedOrder, "completed", Y2K.plusSeconds(11));
    checkedOutCart(UUID.randomUUID(), endedOrder, Y2K.plusSeconds(12));
    StalledCheckouts checkouts = new StalledCheckouts(testKit.system());

    List<Stalled> unplaced =
        new UnplacedCheckouts(testKit.system())
            .idleFor(IDLE, Stalled.START, 100)
            .toCompletableFuture()
            .join();
    assertEquals(unplacedCart, unplaced.get(0).id(), "its order was never placed");
    assertEquals(
        1, unplaced.stream().filter(s -> s.updatedAt().isBefore(Y2K.plusSeconds(20))).count());
    UnfinishedOrders unfinished = new UnfinishedOrders(testKit.system());
    List<Stalled> untold =
        unfinished.untoldFor(IDLE, Stalled.START, 100).toCompletableFuture().join();
    assertEquals(endedOrder, untold.get(0).id(), "its order ended, its cart still waits");
    assertEquals(
        List.of(),
        ids(unfinished.untoldFor(IDLE, untold.get(0), 1).toCompletableFuture().join()).stream()
            .filter(id -> id.equals(endedOrder))
            .toList(),
        "nothing of it after its own cursor");
  }
}
