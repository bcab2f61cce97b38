package order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import common.EntityTestKits;
import common.Rejection;
import common.Reply;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import order.payment.Payment;
import order.payment.PaymentGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OrderTest {
  private static ActorTestKit testKit;
  private static final OrderSettings SETTINGS =
      new OrderSettings(
          Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ZERO);

  private final FakeStock stock = new FakeStock();
  private final FakeGateway gateway = new FakeGateway();
  private final FakeCarrier carrier = new FakeCarrier();

  /** Outcomes told to carts, by cart id; a repeat of the same outcome is harmless. */
  private final Map<String, String> cartOutcomes = new ConcurrentHashMap<>();

  /** While set, telling the cart never answers. */
  private volatile boolean cartHangs;

  /** Calls to tell the cart that fail before one succeeds. */
  private final AtomicInteger cartFailures = new AtomicInteger();

  private final OrderOutcomeListener listener =
      (cartId, orderId, completed, reason) -> {
        if (cartHangs) {
          return new CompletableFuture<>();
        }
        if (cartFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return CompletableFuture.failedFuture(new RuntimeException("cart shard unavailable"));
        }
        cartOutcomes.put(cartId, completed ? "completed" : "canceled: " + reason);
        return CompletableFuture.completedFuture(Done.getInstance());
      };
  private String orderId;
  private EventSourcedBehaviorTestKit<Order.Command, Order.Event, Order.State> order;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("OrderTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newOrder() {
    orderId = UUID.randomUUID().toString();
    startOrder(SETTINGS, gateway);
    stock.put("p1", 10);
    stock.put("p2", 10);
  }

  /** The order entity under test, with these settings and this gateway. */
  private void startOrder(OrderSettings settings, PaymentGateway paymentGateway) {
    order =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            Order.create(orderId, settings, stock, paymentGateway, carrier, listener));
  }

  private OrderDraft draft(int p1Units, int p2Units) {
    return draft(
        orderId,
        List.of(
            new OrderLine("p1", p1Units, new BigDecimal("10.00")),
            new OrderLine("p2", p2Units, new BigDecimal("2.50"))),
        "credit card");
  }

  private static OrderDraft draft(String orderId, List<OrderLine> lines, String paymentMethod) {
    return new OrderDraft(orderId, "cart-1", "user-1", "us-west", lines, paymentMethod);
  }

  private Reply<Order.OrderView> place(OrderDraft draft) {
    return order.<Reply<Order.OrderView>>runCommand(r -> new Order.Place(draft, r)).reply();
  }

  private Order.OrderView view() {
    return order.<Reply<Order.OrderView>>runCommand(Order.Get::new).reply().value();
  }

  private static Rejection rejection(Reply<?> reply) {
    return assertInstanceOf(Reply.Rejected.class, reply).rejection();
  }

  private void awaitStatus(String status) throws InterruptedException {
    awaitTrue(() -> view().status().equals(status), "order reaches " + status);
  }

  private static void awaitTrue(Supplier<Boolean> condition, String what)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 5_000;
    while (!condition.get()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anUnknownOrderIsNotFoundNorWaitedFor() {
    for (var reply :
        List.of(
            order.<Reply<Order.OrderView>>runCommand(Order.Get::new).reply(),
            order.<Reply<Order.OrderView>>runCommand(Order.AwaitEnd::new).reply())) {
      assertEquals(Rejection.Kind.NOT_FOUND, rejection(reply).kind());
    }
  }

  @Test
  void anOrderRunsToCompletedWithOneChargeAndSoldStock() throws Exception {
    var placed = place(draft(3, 2)).value();
    assertEquals(new BigDecimal("35.00"), placed.total());
    awaitStatus("completed");
    assertTrue(cartOutcomes.containsKey("cart-1"));
    awaitTrue(() -> order.getState().cartNotified(), "the cart is told");

    var view = view();
    assertEquals(Payment.Status.COMPLETED, view.payment().status());
    assertEquals(new BigDecimal("35.00"), view.payment().amount());
    assertEquals(1, gateway.calls.get());
    assertEquals(3, stock.sold("p1"));
    assertEquals(2, stock.sold("p2"));
    assertEquals(0, stock.reserved("p1"));
    assertEquals("completed", cartOutcomes.get("cart-1"));
  }

  @Test
  void placingTheSameDraftAgainIsAcknowledgedWithoutASecondOrder() throws Exception {
    place(draft(1, 1));
    awaitStatus("completed");
    var again = place(draft(1, 1)).value();
    assertEquals("completed", again.status());
    assertEquals(1, stock.sold("p1"));
    var other = place(draft(2, 1));
    assertEquals(Rejection.Kind.CONFLICT, rejection(other).kind());
  }

  @Test
  void invalidDraftsAreRefusedWithTheirReasonAndPersistNothing() {
    OrderLine one = new OrderLine("p1", 1, BigDecimal.ONE);
    OrderLine none = new OrderLine("p1", 0, BigDecimal.ONE);
    OrderLine twoMore = new OrderLine("p1", 2, BigDecimal.ONE);
    Map<OrderDraft, String> reasons =
        Map.of(
            draft("other-order", List.of(one), "paypal"),
            "order id other-order does not match entity " + orderId,
            draft(orderId, List.of(), "paypal"),
            "an order needs at least one line",
            draft(orderId, List.of(none), "paypal"),
            "every line needs a positive quantity",
            draft(orderId, List.of(one, twoMore), "paypal"),
            "a product may appear on one line only",
            draft(orderId, List.of(one), "cash"),
            "unsupported payment method: cash");
    reasons.forEach(
        (draft, reason) -> {
          var result = order.<Reply<Order.OrderView>>runCommand(r -> new Order.Place(draft, r));
          assertEquals(Rejection.invalid(reason), rejection(result.reply()));
          assertTrue(result.hasNoEvents());
        });
    rejection(order.<Reply<Order.OrderView>>runCommand(Order.Get::new).reply());
  }

  @Test
  void anOutOfStockLineCancelsTheOrderAndReleasesTheOtherLines() throws Exception {
    place(draft(3, 11));
    awaitStatus("canceled");
    var view = view();
    assertTrue(view.cancelReason().contains("p2"), view.cancelReason());
    assertEquals(Order.CancelCause.OUT_OF_STOCK, view.cancelCause());
    assertEquals(0, gateway.calls.get(), "no charge for an order without stock");
    assertTrue(
        order.persistenceTestKit().persistedInStorage("Order|" + orderId).stream()
            .anyMatch(e -> e instanceof Order.CancellationStarted));
    assertEquals(10, stock.available("p1"));
    assertEquals(0, stock.reserved("p1"));
    awaitTrue(() -> cartOutcomes.containsKey("cart-1"), "the cart is told");
    assertTrue(cartOutcomes.get("cart-1").startsWith("canceled"));
  }

  @Test
  void aDeclinedPaymentReleasesTheReservedStock() throws Exception {
    gateway.decline = true;
    place(draft(4, 1));
    awaitStatus("canceled");
    var view = view();
    assertEquals(Payment.Status.FAILED, view.payment().status());
    assertTrue(view.cancelReason().startsWith("payment declined"), view.cancelReason());
    assertEquals(Order.CancelCause.PAYMENT_DECLINED, view.cancelCause());
    assertEquals(10, stock.available("p1"));
    assertEquals(10, stock.available("p2"));
    assertEquals(0, stock.sold("p1"));
  }

  /** A charge the ledger can never record (say, an amount beyond its column) must not loop. */
  @Test
  void aStepTheDatabaseRefusesForGoodEndsTheOrderWithoutACharge() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    startOrder(
        SETTINGS,
        (id, amount, method) -> {
          attempts.incrementAndGet();
          return CompletableFuture.failedFuture(
              new R2dbcDataIntegrityViolationException("numeric field overflow", "22003"));
        });
    place(draft(4, 1));
    awaitStatus("canceled");
    var view = view();
    assertEquals(Order.CancelCause.STEP_FAILED, view.cancelCause());
    assertTrue(view.cancelReason().contains("numeric field overflow"), view.cancelReason());
    assertEquals(1, attempts.get(), "not asked again");
    assertEquals(null, view.payment());
    assertEquals(10, stock.available("p1"));
    assertEquals(10, stock.available("p2"));
    assertEquals(0, stock.reserved("p1"));
  }

  @Test
  void failingStepsAreRetriedUntilTheyAnswer() throws Exception {
    AtomicInteger charges = new AtomicInteger();
    startOrder(
        SETTINGS,
        (id, amount, method) -> {
          charges.incrementAndGet();
          stock.failuresToInject.set(3); // the commits fail next
          return gateway.charge(id, amount, method);
        });
    stock.failuresToInject.set(3);
    place(draft(1, 1));
    awaitStatus("completed");
    assertEquals(1, charges.get(), "charged once the reservations answered");
    assertEquals(0, stock.failuresToInject.get(), "the three failed commits were retried");
    assertEquals(1, stock.sold("p1"));
    assertEquals(1, stock.sold("p2"));
  }

  @Test
  void anOrderInterruptedBetweenStepsFinishesExactlyOnceAfterRestart() throws Exception {
    gateway.hang = true;
    place(draft(2, 2));
    awaitTrue(() -> stock.reserved("p1") == 2 && stock.reserved("p2") == 2, "stock reserved");
    awaitTrue(() -> gateway.calls.get() == 1, "the charge started");

    gateway.hang = false;
    order.restart();

    awaitStatus("completed");
    assertEquals(1, gateway.charges.size(), "one charge for the order");
    assertEquals(2, stock.sold("p1"));
    assertEquals(2, stock.sold("p2"));
    assertEquals(0, stock.reserved("p1"));
    List<Object> events = order.persistenceTestKit().persistedInStorage("Order|" + orderId);
    assertEquals(1, events.stream().filter(e -> e instanceof Order.AllLinesReserved).count());
    assertEquals(1, events.stream().filter(e -> e instanceof Order.PaymentCharged).count());
    assertEquals(1, events.stream().filter(e -> e instanceof Order.OrderCompleted).count());
  }

  @Test
  void anOrderInterruptedAfterCommittingItsStockCompletesOnceAfterRestart() throws Exception {
    // Steps that may take long, so that the hanging cart is still being waited for when checked.
    startOrder(
        new OrderSettings(
            Duration.ofSeconds(30), Duration.ofMillis(20), Duration.ofMillis(100), Duration.ZERO),
        gateway);
    cartHangs = true;
    place(draft(2, 1));
    awaitTrue(() -> stock.sold("p1") == 2 && stock.sold("p2") == 1, "stock committed");
    assertEquals(Order.Status.PAID, order.getState().status(), "the end is not written yet");

    cartHangs = false;
    order.restart();

    awaitStatus("completed");
    awaitTrue(() -> order.getState().cartNotified(), "the cart is told");
    assertEquals(1, gateway.calls.get(), "the payment was written before the commit: no charge");
    assertEquals(2, stock.sold("p1"), "committing again sells nothing twice");
    assertEquals(1, stock.sold("p2"));
    assertEquals("completed", cartOutcomes.get("cart-1"));
  }

  private void awaitShipped() throws InterruptedException {
    awaitTrue(() -> view().shipment() != null, "the order ships");
  }

  private List<Object> persistedEvents() {
    return order.persistenceTestKit().persistedInStorage("Order|" + orderId);
  }

  @Test
  void anOrderThatCompletesAndShipsWritesFourTimes() throws Exception {
    place(draft(1, 1));
    awaitShipped();
    assertEquals(
        List.of(
            Order.OrderPlaced.class,
            Order.AllLinesReserved.class,
            Order.PaymentCharged.class,
            Order.OrderCompleted.class,
            Order.CartNotified.class,
            Order.OrderShipped.class),
        persistedEvents().stream().map(Object::getClass).toList());
    assertEquals(2, stock.reserveCalls.get(), "each line reserved once");
  }

  @Test
  void aCompletedOrderShipsWithTheCarriersTrackingNumberAndStaysCompleted() throws Exception {
    place(draft(1, 1));
    awaitShipped();
    var view = view();
    assertEquals("completed", view.status());
    assertEquals(carrier.shipments.get(orderId), view.shipment());
    var shipped = (Order.OrderShipped) persistedEvents().get(persistedEvents().size() - 1);
    assertEquals(
        new Order.OrderShipped(
            orderId,
            "user-1",
            view.shipment().carrier(),
            view.shipment().trackingNumber(),
            view.shipment().shippedAt()),
        shipped);
    assertEquals(1, carrier.calls.get());
  }

  @Test
  void aCanceledOrderNeverShips() throws Exception {
    place(draft(3, 11));
    awaitStatus("canceled");
    awaitTrue(() -> order.getState().cartNotified(), "the cart is told");
    Thread.sleep(100);
    assertEquals(0, carrier.calls.get());
    assertEquals(null, view().shipment());
  }

  @Test
  void aShipmentInterruptedByARestartResumesAndShipsOnce() throws Exception {
    carrier.hang = true;
    place(draft(1, 1));
    awaitTrue(() -> carrier.calls.get() == 1, "the shipment was asked for");
    assertEquals("completed", view().status());
    assertEquals(null, view().shipment(), "nothing written while the carrier has not answered");

    carrier.hang = false;
    order.restart();

    awaitShipped();
    assertEquals(2, carrier.calls.get(), "asked again after recovery");
    assertEquals(carrier.shipments.get(orderId), view().shipment());
    assertEquals(
        1, persistedEvents().stream().filter(e -> e instanceof Order.OrderShipped).count());
    assertEquals(1, gateway.calls.get(), "recovery repeats the shipment only");
    assertEquals(1, stock.sold("p1"));
  }

  @Test
  void anOrderWhoseCartCannotBeToldCompletesAndTellsItLater() throws Exception {
    cartFailures.set(3);
    place(draft(1, 1));
    awaitStatus("completed");
    awaitTrue(() -> order.getState().cartNotified(), "the cart is told after all");
    assertEquals("completed", cartOutcomes.get("cart-1"));
  }

  @Test
  void aShippedOrderRecoversItsStateAfterRestart() throws Exception {
    place(draft(1, 1));
    awaitShipped();
    var before = order.getState();
    int charges = gateway.calls.get();
    order.restart();
    assertEquals(before, order.getState());
    Thread.sleep(200);
    assertEquals(charges, gateway.calls.get(), "a finished order starts no step on recovery");
    assertEquals(1, carrier.calls.get(), "nor ships again");
  }

  /**
   * A shopper waiting for the end is answered when it comes; beyond a hundred waiters the oldest is
   * answered with the order as it is, and once ended every waiter is answered at once.
   */
  @Test
  void waitersAreAnsweredWhenTheOrderEndsAndTheOldestBeyondAHundredAtOnce() {
    CompletableFuture<Payment> charge = new CompletableFuture<>();
    startOrder(SETTINGS, (id, amount, method) -> charge);
    place(draft(1, 1));
    TestProbe<Reply<Order.OrderView>> waiters = testKit.createTestProbe();
    for (int i = 0; i < 101; i++) {
      order.runCommand(new Order.AwaitEnd(waiters.ref()));
    }
    Order.OrderView oldest = waiters.receiveMessage().value();
    assertEquals("placed", oldest.status());

    charge.complete(
        new Payment(
            "pay-1",
            "ch_1",
            "credit card",
            new BigDecimal("12.50"),
            Payment.Status.COMPLETED,
            null,
            Instant.now()));
    for (int i = 0; i < 100; i++) {
      var ended = waiters.receiveMessage(Duration.ofSeconds(5)).value();
      assertEquals("completed", ended.status());
    }
    var afterwards = order.<Reply<Order.OrderView>>runCommand(Order.AwaitEnd::new).reply();
    assertEquals("completed", afterwards.value().status());
  }

  /**
   * An earlier version wrote the reservation and the payment as separate steps: an order it left
   * between them charges, commits and completes.
   */
  @Test
  void anOrderLeftReservedButUnchargedByTheEarlierVersionCompletes() throws Exception {
    OrderDraft draft = draft(2, 1);
    stock.reserve("p1", orderId, 2, "us-west");
    stock.reserve("p2", orderId, 1, "us-west");
    Instant then = Instant.now();
    // The entity started for this test must have recovered its empty journal first: otherwise it
    // may see these events too, and two live incarnations would both charge.
    order.getState();
    order
        .persistenceTestKit()
        .persistForRecovery(
            "Order|" + orderId,
            List.of(
                new Order.OrderPlaced(draft, draft.total(), then),
                new Order.AllLinesReserved(then)));
    order.restart();

    awaitStatus("completed");
    assertEquals(1, gateway.calls.get());
    assertEquals(2, stock.sold("p1"));
    assertEquals(1, stock.sold("p2"));
    List<Object> events = order.persistenceTestKit().persistedInStorage("Order|" + orderId);
    assertEquals(1, events.stream().filter(e -> e instanceof Order.PaymentCharged).count());
  }

  @Test
  void failedStepsBackOffExponentiallyUpToTheMaximum() {
    assertEquals(
        List.of(20L, 40L, 80L, 100L, 100L),
        IntStream.of(1, 2, 3, 4, 40).mapToObj(SETTINGS::backoff).map(Duration::toMillis).toList());
  }
}
