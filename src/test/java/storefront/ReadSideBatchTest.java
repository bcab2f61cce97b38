package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.Sequence;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import cart.CartReadSideHandler;
import cart.ShoppingCart;
import inventory.InventoryReadSideHandler;
import inventory.ProductStock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import live.LiveSettings;
import live.LiveUpdates;
import order.Order;
import order.OrderDraft;
import order.OrderLine;
import order.OrderReadSideHandler;
import order.payment.Payment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The read-side handlers sum a batch of events to where it leaves each row. Whatever the batches,
 * the tables must end as if every event had been applied alone: the same scenario is written as one
 * batch, one event per batch, and two batches split in the middle, into the real database.
 */
class ReadSideBatchTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
  private static ActorTestKit testKit;
  private static LiveUpdates live;

  /** What the scenarios wrote rows for; removed after each test (see {@link #removeTheRows}). */
  private final List<UUID> carts = new ArrayList<>();

  private final List<UUID> orders = new ArrayList<>();
  private final List<UUID> products = new ArrayList<>();

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("ReadSideBatchTest");
    live = LiveUpdates.start(testKit.system(), new LiveSettings(Duration.ofSeconds(15), 256));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /**
   * These rows have no events behind them: the audit tests, which share this database, compare the
   * read side with the journal and would count them as wrong.
   */
  @AfterEach
  void removeTheRows() {
    UUID[] cartIds = carts.toArray(UUID[]::new);
    UUID[] orderIds = orders.toArray(UUID[]::new);
    UUID[] productIds = products.toArray(UUID[]::new);
    for (String table : List.of("cart_item_events", "cart_items", "carts")) {
      TestDatabase.execute(
          testKit.system(), "DELETE FROM " + table + " WHERE cart_id = ANY($1)", (Object) cartIds);
    }
    for (String table :
        List.of("payment_details", "order_status_history", "order_items", "notifications")) {
      TestDatabase.execute(
          testKit.system(),
          "DELETE FROM " + table + " WHERE order_id = ANY($1)",
          (Object) orderIds);
    }
    TestDatabase.execute(
        testKit.system(), "DELETE FROM orders WHERE order_id = ANY($1)", (Object) orderIds);
    for (String table : List.of("inventory", "planned_restocks", "notifications")) {
      TestDatabase.execute(
          testKit.system(),
          "DELETE FROM " + table + " WHERE product_id = ANY($1)",
          (Object) productIds);
    }
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static <E> EventEnvelope<E> envelope(String entityType, String id, long seqNr, E event) {
    return EventEnvelope.create(
        Sequence.apply(seqNr),
        entityType + "|" + id,
        seqNr,
        event,
        at((int) seqNr).toEpochMilli(),
        entityType,
        0);
  }

  /** Writes the events in batches cut at the given sizes, each batch in its own transaction. */
  private static <E> void write(
      R2dbcHandler<List<EventEnvelope<E>>> handler, List<EventEnvelope<E>> events, int... cuts) {
    List<List<EventEnvelope<E>>> batches = new ArrayList<>();
    int from = 0;
    for (int cut : cuts) {
      batches.add(events.subList(from, Math.min(events.size(), from + cut)));
      from += cut;
    }
    if (from < events.size()) {
      batches.add(events.subList(from, events.size()));
    }
    for (List<EventEnvelope<E>> batch : batches) {
      R2dbcSession.withSession(
              testKit.system(),
              session -> {
                try {
                  return handler.process(
                      new akka.projection.r2dbc.javadsl.R2dbcSession(
                          session.connection(),
                          testKit.system().executionContext(),
                          testKit.system()),
                      batch);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              })
          .toCompletableFuture()
          .join();
    }
  }

  private static List<String> rows(String sql, UUID id) {
    return ReadSide.query(
        testKit.system(),
        sql,
        id,
        row -> {
          List<String> values = new ArrayList<>();
          for (int i = 0; i < row.getMetadata().getColumnMetadatas().size(); i++) {
            Object value = row.get(i);
            values.add(
                value instanceof java.time.OffsetDateTime t
                    ? t.toInstant().truncatedTo(ChronoUnit.MILLIS).toString()
                    : String.valueOf(value));
          }
          return String.join("|", values);
        });
  }

  private static List<EventEnvelope<ShoppingCart.Event>> cartScenario(
      String cartId, String user, String p1, String p2, String orderId) {
    List<ShoppingCart.Event> events =
        List.of(
            new ShoppingCart.CartOpened(user, "us-west", at(1)),
            new ShoppingCart.ItemAdded(p1, 2, new BigDecimal("3.00"), at(2)),
            new ShoppingCart.ItemAdded(p2, 1, new BigDecimal("5.00"), at(3)),
            new ShoppingCart.ItemQuantityChanged(p1, 2, 3, new BigDecimal("3.00"), at(4)),
            new ShoppingCart.ItemRemoved(p2, 1, new BigDecimal("5.00"), at(5)),
            new ShoppingCart.ItemAdded(p2, 4, new BigDecimal("5.00"), at(6)),
            new ShoppingCart.ItemRemoved(p1, 3, new BigDecimal("3.00"), at(7)),
            // The line takes the product's price of now when it changes.
            new ShoppingCart.ItemQuantityChanged(p2, 4, 2, new BigDecimal("6.00"), at(8)),
            new ShoppingCart.CartCheckedOut(orderId, "paypal", at(9)),
            new ShoppingCart.CartCompleted(orderId, at(10)));
    List<EventEnvelope<ShoppingCart.Event>> envelopes = new ArrayList<>();
    for (int i = 0; i < events.size(); i++) {
      envelopes.add(envelope("ShoppingCart", cartId, i + 1, events.get(i)));
    }
    return envelopes;
  }

  @Test
  void cartsLinesAndTheChangeLogEndTheSameWhateverTheBatches() {
    String user = UUID.randomUUID().toString();
    String p1 = UUID.randomUUID().toString();
    String p2 = UUID.randomUUID().toString();
    List<List<String>> outcomes = new ArrayList<>();
    for (int[] cuts :
        List.of(new int[] {10}, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1}, new int[] {3, 4})) {
      UUID cartId = UUID.randomUUID();
      String orderId = UUID.randomUUID().toString();
      carts.add(cartId);
      write(
          new CartReadSideHandler(), cartScenario(cartId.toString(), user, p1, p2, orderId), cuts);
      List<String> outcome = new ArrayList<>();
      outcome.addAll(
          rows(
              "SELECT user_id, region, status, order_id IS NOT NULL, cancel_reason, created_at,"
                  + " updated_at FROM carts WHERE cart_id = $1",
              cartId));
      outcome.addAll(
          rows(
              "SELECT product_id, quantity, price, added_at FROM cart_items WHERE cart_id = $1",
              cartId));
      outcome.addAll(
          rows(
              "SELECT seq_nr, event_time, operation, operation_code, user_id, product_id,"
                  + " quantity_before, quantity_after, price FROM cart_item_events"
                  + " WHERE cart_id = $1 ORDER BY seq_nr",
              cartId));
      outcomes.add(outcome);
    }
    assertEquals(
        List.of(
            user + "|us-west|inactive|true|null|" + at(1) + "|" + at(10),
            p2 + "|2|6.00|" + at(6),
            "2|" + at(2) + "|insert|2|" + user + "|" + p1 + "|0|2|3.00",
            "3|" + at(3) + "|insert|2|" + user + "|" + p2 + "|0|1|5.00",
            "4|" + at(4) + "|update|4|" + user + "|" + p1 + "|2|3|3.00",
            "5|" + at(5) + "|delete|1|" + user + "|" + p2 + "|1|0|5.00",
            "6|" + at(6) + "|insert|2|" + user + "|" + p2 + "|0|4|5.00",
            "7|" + at(7) + "|delete|1|" + user + "|" + p1 + "|3|0|3.00",
            "8|" + at(8) + "|update|4|" + user + "|" + p2 + "|4|2|6.00"),
        outcomes.get(0));
    assertEquals(outcomes.get(0), outcomes.get(1), "one event per batch");
    assertEquals(outcomes.get(0), outcomes.get(2), "batches split in the middle");
  }

  private static Payment payment(boolean completed, int second) {
    return new Payment(
        UUID.randomUUID().toString(),
        "ch_test",
        "credit card",
        new BigDecimal("11.00"),
        completed ? Payment.Status.COMPLETED : Payment.Status.FAILED,
        completed ? null : "insufficient funds",
        at(second));
  }

  private static List<EventEnvelope<Order.Event>> orderScenario(
      String completedOrder, String declinedOrder, String p1, String p2) {
    List<EventEnvelope<Order.Event>> envelopes = new ArrayList<>();
    Function<String, OrderDraft> draft =
        id ->
            new OrderDraft(
                id,
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "us-east",
                List.of(
                    new OrderLine(p1, 2, new BigDecimal("3.00")),
                    new OrderLine(p2, 1, new BigDecimal("5.00"))),
                "credit card");
    OrderDraft completedDraft = draft.apply(completedOrder);
    List<Order.Event> completed =
        List.of(
            new Order.OrderPlaced(completedDraft, new BigDecimal("11.00"), at(1)),
            new Order.LineReserved(p1, at(2)),
            new Order.LineReserved(p2, at(2)),
            new Order.AllLinesReserved(at(2)),
            new Order.PaymentCharged(payment(true, 3)),
            new Order.OrderCompleted(at(4)),
            new Order.CartNotified(at(4)),
            new Order.OrderShipped(completedOrder, completedDraft.userId(), "SX", "SX1234", at(6)));
    List<Order.Event> declined =
        List.of(
            new Order.OrderPlaced(draft.apply(declinedOrder), new BigDecimal("11.00"), at(1)),
            new Order.AllLinesReserved(at(2)),
            new Order.PaymentDeclined(payment(false, 3)),
            new Order.OrderCanceled("payment declined: insufficient funds", at(5)));
    // interleaved, as two entities' events arrive in one stream
    for (int i = 0; i < completed.size(); i++) {
      envelopes.add(envelope("Order", completedOrder, i + 1, completed.get(i)));
      if (i < declined.size()) {
        envelopes.add(envelope("Order", declinedOrder, i + 1, declined.get(i)));
      }
    }
    return envelopes;
  }

  @Test
  void ordersTheirHistoryAndPaymentsEndTheSameWhateverTheBatches() {
    String p1 = UUID.randomUUID().toString();
    String p2 = UUID.randomUUID().toString();
    List<List<String>> outcomes = new ArrayList<>();
    for (int[] cuts :
        List.of(new int[] {12}, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, new int[] {5})) {
      UUID completed = UUID.randomUUID();
      UUID declined = UUID.randomUUID();
      orders.addAll(List.of(completed, declined));
      write(
          new OrderReadSideHandler(live),
          orderScenario(completed.toString(), declined.toString(), p1, p2),
          cuts);
      List<String> outcome = new ArrayList<>();
      for (UUID order : List.of(completed, declined)) {
        outcome.addAll(
            rows(
                "SELECT region, order_status, total_amount, payment_method, cancel_reason,"
                    + " cancel_cause, created_at, updated_at, carrier, tracking_number, shipped_at,"
                    + " cart_notified FROM orders WHERE order_id = $1",
                order));
        outcome.addAll(
            rows(
                "SELECT product_id, quantity, price FROM order_items WHERE order_id = $1"
                    + " ORDER BY product_id",
                order));
        outcome.addAll(
            rows(
                "SELECT seq_nr, status, reason, at FROM order_status_history WHERE order_id = $1"
                    + " ORDER BY seq_nr",
                order));
        outcome.addAll(
            rows(
                "SELECT payment_status, amount, decline_reason, created_at FROM payment_details"
                    + " WHERE order_id = $1",
                order));
      }
      outcomes.add(outcome);
    }
    List<String> first = outcomes.get(0);
    // Shipped, the order stays completed, changed last at its completion; its history shows it.
    // Its cart was told; the declined order's was not (no CartNotified in its events).
    assertEquals(
        "us-east|completed|11.00|credit card|null|null|"
            + at(1)
            + "|"
            + at(4)
            + "|SX|SX1234|"
            + at(6)
            + "|true",
        first.get(0));
    assertEquals(
        List.of(
            "1|placed|null|" + at(1),
            "4|stock_reserved|null|" + at(2),
            "5|paid|null|" + at(3),
            "6|completed|null|" + at(4),
            "8|shipped|null|" + at(6)),
        first.subList(3, 8));
    assertEquals(
        "us-east|canceled|11.00|credit card|payment declined: insufficient funds|payment_declined|"
            + at(1)
            + "|"
            + at(5)
            + "|null|null|null|false",
        first.get(9));
    assertEquals(outcomes.get(0), outcomes.get(1), "one event per batch");
    assertEquals(outcomes.get(0), outcomes.get(2), "batches split in the middle");
  }

  @Test
  void inventoryRowsEndTheSameWhateverTheBatches() {
    List<List<String>> outcomes = new ArrayList<>();
    for (int[] cuts :
        List.of(new int[] {7}, new int[] {1, 1, 1, 1, 1, 1}, new int[] {2, 2}, new int[0])) {
      UUID product = UUID.randomUUID();
      products.add(product);
      String w1 = UUID.randomUUID().toString();
      String w2 = UUID.randomUUID().toString();
      var a1 = new ProductStock.Allocation(w1, 3);
      var a2 = List.of(new ProductStock.Allocation(w1, 2), new ProductStock.Allocation(w2, 1));
      List<ProductStock.Change> changes =
          List.of(
              new ProductStock.StockReceived("r1", w1, "us-west", 10),
              new ProductStock.StockReceived("r2", w2, "us-east", 5),
              new ProductStock.UnitsReserved("o1", List.of(a1)),
              new ProductStock.UnitsReserved("o2", a2),
              new ProductStock.StockCommitted("o1", List.of(a1)),
              new ProductStock.StockReleased("o2", a2),
              new ProductStock.StockReceived("r3", w1, "us-west", 4));
      List<EventEnvelope<ProductStock.Event>> envelopes = new ArrayList<>();
      if (cuts.length > 0) {
        for (int i = 0; i < changes.size(); i++) {
          envelopes.add(envelope("ProductStock", product.toString(), i + 1, changes.get(i)));
        }
      } else {
        // The same changes as the entity writes them when they were decided together; each
        // envelope carries the time of its last change, as in the single-event runs.
        int[][] parts = {{0, 2}, {2, 4}, {4, 6}, {6, 7}};
        for (int[] part : parts) {
          List<ProductStock.Change> together = changes.subList(part[0], part[1]);
          envelopes.add(
              envelope(
                  "ProductStock",
                  product.toString(),
                  part[1],
                  together.size() == 1
                      ? together.get(0)
                      : new ProductStock.StockChanged(List.copyOf(together))));
        }
      }
      write(new InventoryReadSideHandler(live), envelopes, cuts);
      outcomes.add(
          rows(
              "SELECT region, quantity, reserved, sold, received, last_updated FROM inventory"
                  + " WHERE product_id = $1 ORDER BY region",
              product));
    }
    assertEquals(
        List.of("us-east|5|0|0|5|" + at(6), "us-west|11|0|3|14|" + at(7)), outcomes.get(0));
    assertEquals(outcomes.get(0), outcomes.get(1), "one event per batch");
    assertEquals(outcomes.get(0), outcomes.get(2), "batches of two");
    assertEquals(outcomes.get(0), outcomes.get(3), "changes decided together, one event each");
  }
}
