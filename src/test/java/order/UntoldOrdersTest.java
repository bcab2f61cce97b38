package order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.query.Sequence;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import common.Reply;
import common.Stalled;
import common.StoredEvent;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import live.LiveSettings;
import live.LiveUpdates;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;
import storefront.node.Schema;

/**
 * An order that ended while its cart could not be told, and whose node then died, is found by the
 * stalled-process sweeper from the order's own facts (no CartNotified on the read side) and, woken,
 * tells its cart. Orders on the real journal and read side; the read side is written by the real
 * handler, a batch per step, as the projection would.
 */
class UntoldOrdersTest {
  private static final OrderSettings SETTINGS =
      new OrderSettings(
          Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ZERO);
  private static ActorTestKit testKit;
  private static LiveUpdates live;

  /** The order told by each cart, by cart id. */
  private final Map<String, String> cartsTold = new ConcurrentHashMap<>();

  private volatile boolean cartsReachable;
  private final OrderOutcomeListener listener =
      (cartId, orderId, completed, reason) -> {
        if (!cartsReachable) {
          return CompletableFuture.failedFuture(new RuntimeException("cart shard unavailable"));
        }
        cartsTold.put(cartId, orderId);
        return CompletableFuture.completedFuture(Done.getInstance());
      };

  private final List<UUID> orders = new ArrayList<>();
  private final Instant testStart = Instant.now();

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("UntoldOrdersTest");
    live = LiveUpdates.start(testKit.system(), new LiveSettings(Duration.ofSeconds(15), 256));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * The orders are paid by a fake gateway, from fake stock: removed after each test, journal and
   * rows, so that the audit tests sharing this database see only orders that really ran.
   */
  @AfterEach
  void removeTheOrders() {
    UUID[] ids = orders.toArray(UUID[]::new);
    for (String table : List.of("payment_details", "order_status_history", "order_items")) {
      execute("DELETE FROM " + table + " WHERE order_id = ANY($1)", (Object) ids);
    }
    execute("DELETE FROM orders WHERE order_id = ANY($1)", (Object) ids);
    execute(
        "DELETE FROM event_journal WHERE persistence_id = ANY($1)",
        (Object) orders.stream().map(id -> "Order|" + id).toArray(String[]::new));
    orders.clear();
  }

  private static void execute(String sql, Object... values) {
    TestDatabase.execute(testKit.system(), sql, values);
  }

  private static <T> List<T> query(String sql, Object parameter, Function<Row, T> read) {
    return R2dbcSession.withSession(
            testKit.system(),
            session -> session.select(session.createStatement(sql).bind(0, parameter), read::apply))
        .toCompletableFuture()
        .join();
  }

  private ActorRef<Order.Command> run(UUID orderId) {
    FakeCarrier carrier = new FakeCarrier();
    carrier.hang = true; // shipping is beside the point here
    FakeStock stock = new FakeStock();
    stock.put(PRODUCT.toString(), 5);
    return testKit.spawn(
        Order.create(orderId.toString(), SETTINGS, stock, new FakeGateway(), carrier, listener));
  }

  private static final UUID PRODUCT = UUID.randomUUID();

  /**
   * Places an order and waits for its end; then its actor stops, as if its node died, and its
   * events so far are projected.
   */
  private UUID endedOrder() {
    UUID orderId = UUID.randomUUID();
    orders.add(orderId);
    ActorRef<Order.Command> order = run(orderId);
    TestProbe<Reply<Order.OrderView>> probe = testKit.createTestProbe();
    order.tell(
        new Order.Place(
            new OrderDraft(
                orderId.toString(),
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "us-west",
                List.of(new OrderLine(PRODUCT.toString(), 1, BigDecimal.TEN)),
                "paypal"),
            probe.ref()));
    probe.receiveMessage().value();
    order.tell(new Order.AwaitEnd(probe.ref()));
    assertEquals("completed", probe.receiveMessage(Duration.ofSeconds(10)).value().status());
    testKit.stop(order);
    project(orderId, 1);
    return orderId;
  }

  /** The order's journal from this sequence number on, as it is stored. */
  private static List<StoredEvent> journal(UUID orderId, long fromSeqNr) {
    return query(
        "SELECT persistence_id, seq_nr, event_ser_id, event_ser_manifest, event_payload"
            + " FROM event_journal WHERE persistence_id = $1 AND seq_nr >= "
            + fromSeqNr
            + " ORDER BY seq_nr",
        "Order|" + orderId,
        row ->
            new StoredEvent(
                row.get(0, String.class),
                row.get(1, Long.class),
                row.get(2, Integer.class),
                row.get(3, String.class),
                row.get(4, byte[].class)));
  }

  /** Writes the order's events from this sequence number on to the read side, in one batch. */
  private static void project(UUID orderId, long fromSeqNr) {
    List<EventEnvelope<Order.Event>> batch = new ArrayList<>();
    for (StoredEvent stored : journal(orderId, fromSeqNr)) {
      batch.add(
          EventEnvelope.create(
              Sequence.apply(stored.seqNr()),
              stored.persistenceId(),
              stored.seqNr(),
              (Order.Event) stored.deserialize(testKit.system()),
              System.currentTimeMillis(),
              "Order",
              0));
    }
    OrderReadSideHandler handler = new OrderReadSideHandler(live);
    R2dbcSession.withSession(
            testKit.system(),
            session ->
                handler.process(
                    new akka.projection.r2dbc.javadsl.R2dbcSession(
                        session.connection(),
                        testKit.system().executionContext(),
                        testKit.system()),
                    batch))
        .toCompletableFuture()
        .join();
  }

  private static boolean hasCartNotified(UUID orderId) {
    return journal(orderId, 1).stream()
        .anyMatch(e -> e.manifest().equals(Order.CartNotified.class.getName()));
  }

  /** Of these orders, those the sweeper would wake to tell their cart. */
  private List<UUID> untoldAmong(UUID... candidates) {
    // The cursor passes every row of the shared database older than this test.
    Stalled before = new Stalled(new UUID(0, 0), testStart.minusSeconds(1));
    return new UnfinishedOrders(testKit.system())
        .untoldFor(Duration.ZERO, before, 10_000).toCompletableFuture().join().stream()
            .map(Stalled::id)
            .filter(List.of(candidates)::contains)
            .toList();
  }

  private static boolean cartNotifiedRow(UUID orderId) {
    return query(
            "SELECT cart_notified FROM orders WHERE order_id = $1",
            orderId,
            row -> row.get(0, Boolean.class))
        .get(0);
  }

  @Test
  void anEndedOrderWhoseCartWasNotToldIsFoundAndWokenTellsIt() throws Exception {
    cartsReachable = true;
    UUID told = endedOrder();
    cartsReachable = false;
    UUID untold = endedOrder();
    assertTrue(hasCartNotified(told));
    assertTrue(!hasCartNotified(untold), "ended without its cart told");

    assertEquals(List.of(untold), untoldAmong(told, untold));

    // What the sweeper does: it asks the order, whose recovery tells the cart.
    cartsReachable = true;
    long projected = journal(untold, 1).size();
    ActorRef<Order.Command> woken = run(untold);
    TestProbe<Reply<Order.OrderView>> probe = testKit.createTestProbe();
    woken.tell(new Order.Get(probe.ref()));
    assertEquals("completed", probe.receiveMessage().value().status());
    long deadline = System.currentTimeMillis() + 5_000;
    while (!hasCartNotified(untold)) {
      assertTrue(System.currentTimeMillis() < deadline, "the woken order tells its cart");
      Thread.sleep(20);
    }
    testKit.stop(woken);
    assertTrue(cartsTold.containsValue(untold.toString()));
    project(untold, projected + 1);

    assertEquals(List.of(), untoldAmong(told, untold), "told, the order is not woken again");
  }

  /**
   * A database from before the column: its rows say "not told" (the column's default); applying the
   * schema gives ended orders the truth from their journal.
   */
  @Test
  void rowsFromBeforeTheColumnAreToldFromTheJournal() {
    cartsReachable = true;
    UUID told = endedOrder();
    cartsReachable = false;
    UUID untold = endedOrder();
    execute(
        "UPDATE orders SET cart_notified = false WHERE order_id = ANY($1)",
        (Object) new UUID[] {told, untold});

    Schema.apply(testKit.system()).toCompletableFuture().join();

    assertEquals(List.of(true, false), List.of(cartNotifiedRow(told), cartNotifiedRow(untold)));
  }
}
