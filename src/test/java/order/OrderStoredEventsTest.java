package order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import common.EntityTestKits;
import common.Reply;
import common.StoredEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import order.payment.Payment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orders' events as earlier versions stored them (src/test/resources/events/) must still read, with
 * every value: a journal is never rewritten, so today's code recovers orders from those bytes.
 * Version 1 of CancellationStarted had no cause; CancellationStartedMigration gives it one. The
 * class then named StockReserved is read as AllLinesReserved (StockReservedMigration).
 */
class OrderStoredEventsTest {
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  private static final String USER = "00000000-0000-4000-8000-0000000000d1";
  private static final String P1 = "00000000-0000-4000-8000-0000000000f1";
  private static final String P2 = "00000000-0000-4000-8000-0000000000f2";
  private static final String REFUSAL = "product " + P2 + " out of stock: requested 5, available 1";

  private static ActorTestKit testKit;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("OrderStoredEventsTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static OrderDraft draft(String order, String cart, String method, OrderLine... lines) {
    return new OrderDraft(
        "00000000-0000-4000-8000-0000000000" + order,
        "00000000-0000-4000-8000-0000000000" + cart,
        USER,
        "us-west",
        List.of(lines),
        method);
  }

  private static Payment payment(
      String id, String transaction, String method, String amount, String declineReason) {
    return new Payment(
        "00000000-0000-4000-8000-0000000000" + id,
        transaction,
        method,
        new BigDecimal(amount),
        declineReason == null ? Payment.Status.COMPLETED : Payment.Status.FAILED,
        declineReason,
        at(2));
  }

  private static List<Object> version1Events() {
    return StoredEvent.load("events/v1/order-events.tsv").stream()
        .map(stored -> stored.deserialize(testKit.system()))
        .toList();
  }

  @Test
  void version1EventsReadWithEveryValueAndACancellationGetsItsCause() {
    List<Object> read = version1Events();
    OrderLine twoOfP1 = new OrderLine(P1, 2, new BigDecimal("3.00"));
    List<Object> outOfStock =
        List.of(
            new Order.OrderPlaced(
                draft(
                    "a1",
                    "c1",
                    "credit card",
                    twoOfP1,
                    new OrderLine(P2, 5, new BigDecimal("5.00"))),
                new BigDecimal("31.00"),
                at(0)),
            new Order.LineReserved(P1, at(1)),
            new Order.LineRefused(P2, REFUSAL, at(1)),
            new Order.CancellationStarted(Order.CancelCause.OUT_OF_STOCK, REFUSAL, at(1)),
            new Order.OrderCanceled(REFUSAL, at(2)),
            new Order.CartNotified(at(2)));
    List<Object> declined =
        List.of(
            new Order.OrderPlaced(
                draft("a2", "c2", "paypal", new OrderLine(P1, 1, new BigDecimal("3.00"))),
                new BigDecimal("3.00"),
                at(0)),
            new Order.AllLinesReserved(at(1)),
            new Order.PaymentDeclined(
                payment(
                    "92",
                    "PAYID-FIXTURE00000000000000002",
                    "paypal",
                    "3.00",
                    "insufficient funds")),
            new Order.OrderCanceled("payment declined: insufficient funds", at(3)),
            new Order.CartNotified(at(3)));
    List<Object> completed =
        List.of(
            new Order.OrderPlaced(
                draft("a3", "c3", "credit card", twoOfP1), new BigDecimal("6.00"), at(0)),
            new Order.AllLinesReserved(at(1)),
            new Order.PaymentCharged(
                payment("93", "ch_FIXTURE0000000000000000003", "credit card", "6.00", null)),
            new Order.OrderCompleted(at(3)),
            new Order.CartNotified(at(3)));
    assertEquals(outOfStock, read.subList(0, 6));
    assertEquals(declined, read.subList(6, 11));
    assertEquals(completed, read.subList(11, 16));
    assertEquals(16, read.size());
  }

  @Test
  void aCancellationIsWrittenAsVersion2AndReadBackWithItsCause() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    var event = new Order.CancellationStarted(Order.CancelCause.OUT_OF_STOCK, REFUSAL, at(1));
    var serializer = serialization.findSerializerFor(event);
    String manifest = Serializers.manifestFor(serializer, event);
    assertEquals("order.Order$CancellationStarted#2", manifest);
    byte[] bytes = serialization.serialize(event).get();
    assertEquals(event, serialization.deserialize(bytes, serializer.identifier(), manifest).get());
  }

  @Test
  void aStockReservedEventIsReadAsAllLinesReservedAndNewOnesAreWrittenUnderTheNewName() {
    StoredEvent stored =
        StoredEvent.load("events/v1/order-events.tsv").stream()
            .filter(e -> e.manifest().equals("order.Order$StockReserved"))
            .findFirst()
            .orElseThrow();
    assertEquals(new Order.AllLinesReserved(at(1)), stored.deserialize(testKit.system()));
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    var event = new Order.AllLinesReserved(at(1));
    assertEquals(
        "order.Order$AllLinesReserved",
        Serializers.manifestFor(serialization.findSerializerFor(event), event));
  }

  /**
   * Payment moved to order.payment: its class name is not in the stored JSON, so an event that
   * carries one is written today as version 1 wrote it.
   */
  @Test
  void eventsCarryingAPaymentAreWrittenAsVersion1WroteThem() throws Exception {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    ObjectMapper cbor = new ObjectMapper(new CBORFactory());
    List<StoredEvent> withPayment =
        StoredEvent.load("events/v1/order-events.tsv").stream()
            .filter(e -> e.manifest().matches("order\\.Order\\$Payment(Charged|Declined)"))
            .toList();
    assertEquals(2, withPayment.size());
    for (StoredEvent stored : withPayment) {
      byte[] written = serialization.serialize(stored.deserialize(testKit.system())).get();
      assertEquals(cbor.readTree(stored.payload()), cbor.readTree(written), stored.manifest());
    }
  }

  /** Each version-1 order replayed by the entity, as recovery after an upgrade does. */
  @Test
  void ordersRecoveredFromVersion1EventsShowWhyTheyWereCanceled() {
    List<StoredEvent> stored = StoredEvent.load("events/v1/order-events.tsv");
    List<String> causes = new ArrayList<>();
    for (String persistenceId :
        stored.stream().map(StoredEvent::persistenceId).distinct().toList()) {
      String orderId = persistenceId.substring("Order|".length());
      var order =
          EventSourcedBehaviorTestKit.<Order.Command, Order.Event, Order.State>create(
              testKit.system(),
              Order.create(
                  orderId,
                  new OrderSettings(
                      Duration.ofSeconds(1), Duration.ZERO, Duration.ZERO, Duration.ZERO),
                  new FakeStock(),
                  new FakeGateway(),
                  new FakeCarrier(),
                  (cart, id, completed, reason) ->
                      CompletableFuture.completedFuture(Done.getInstance())));
      order.getState(); // recovered its empty journal: only the restarted entity sees the events
      order
          .persistenceTestKit()
          .persistForRecovery(
              persistenceId,
              stored.stream()
                  .filter(e -> e.persistenceId().equals(persistenceId))
                  .map(e -> e.deserialize(testKit.system()))
                  .toList());
      order.restart();
      var view = order.<Reply<Order.OrderView>>runCommand(Order.Get::new).reply().value();
      causes.add(view.status() + " " + view.cancelCause());
    }
    assertEquals(
        List.of("canceled OUT_OF_STOCK", "canceled PAYMENT_DECLINED", "completed null"), causes);
  }
}
