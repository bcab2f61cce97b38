package order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigRenderOptions;
import common.Reply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/**
 * An order shipping through the simulated carrier and its real ledger: a carrier that loses its
 * answers is asked again until one arrives, and the order ends with the one shipment the ledger
 * holds.
 */
class OrderShipmentLedgerTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    // The order's journal in memory (the entity test kit's), the carrier's ledger in the database.
    testKit =
        TestDatabase.actorTestKit(
            "OrderShipmentLedgerTest",
            "akka "
                + EventSourcedBehaviorTestKit.config()
                    .getConfig("akka")
                    .root()
                    .render(ConfigRenderOptions.concise()));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aCarrierThatLosesItsAnswersIsAskedAgainAndTheOrderShipsOnce() throws Exception {
    SimulatedCarrier simulated =
        new SimulatedCarrier(testKit.system(), "Storefront Express", "SFX", Duration.ZERO, 0);
    AtomicInteger requests = new AtomicInteger();
    // The first three shipments are made and their answers lost, as a timeout would.
    Carrier losesThreeAnswers =
        orderId ->
            simulated
                .ship(orderId)
                .thenApply(
                    shipment -> {
                      if (requests.incrementAndGet() <= 3) {
                        throw new SimulatedCarrier.Unavailable("answer lost");
                      }
                      return shipment;
                    });
    String orderId = UUID.randomUUID().toString();
    FakeStock stock = new FakeStock();
    stock.put("p1", 1);
    var order =
        EventSourcedBehaviorTestKit.<Order.Command, Order.Event, Order.State>create(
            testKit.system(),
            Order.create(
                orderId,
                new OrderSettings(
                    Duration.ofSeconds(5),
                    Duration.ofMillis(20),
                    Duration.ofMillis(50),
                    Duration.ZERO),
                stock,
                new FakeGateway(),
                losesThreeAnswers,
                (cart, id, completed, reason) ->
                    CompletableFuture.completedFuture(Done.getInstance())));
    order.<Reply<Order.OrderView>>runCommand(
        r ->
            new Order.Place(
                new OrderDraft(
                    orderId,
                    UUID.randomUUID().toString(),
                    UUID.randomUUID().toString(),
                    "us-west",
                    List.of(new OrderLine("p1", 1, BigDecimal.TEN)),
                    "paypal"),
                r));

    long deadline = System.currentTimeMillis() + 10_000;
    while (order.getState().shipment() == null) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("the order never shipped after " + requests.get() + " requests");
      }
      Thread.sleep(20);
    }
    assertEquals(4, requests.get(), "asked until an answer arrived");
    assertEquals(1, SimulatedCarrierTest.ledgerRows(testKit.system(), orderId));
    Shipment recorded = simulated.ship(orderId).toCompletableFuture().join();
    var view = order.<Reply<Order.OrderView>>runCommand(Order.Get::new).reply().value();
    assertEquals(recorded, view.shipment(), "the order carries the ledger's shipment");
    assertEquals("completed", view.status());
  }
}
