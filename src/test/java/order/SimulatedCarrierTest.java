package order;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/** The carrier's ledger against the real database: an order ships once, however asked. */
class SimulatedCarrierTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("SimulatedCarrierTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static SimulatedCarrier carrier(double failureRate) {
    return new SimulatedCarrier(
        testKit.system(), "Storefront Express", "SFX", Duration.ZERO, failureRate);
  }

  /** The shipments the carrier's ledger holds for the order. */
  static long ledgerRows(ActorSystem<?> system, String orderId) {
    return R2dbcSession.withSession(
            system,
            session ->
                session.selectOne(
                    session
                        .createStatement(
                            "SELECT count(*) FROM carrier_shipments WHERE order_id = $1")
                        .bind(0, orderId),
                    row -> row.get(0, Long.class)))
        .toCompletableFuture()
        .join()
        .orElseThrow();
  }

  @Test
  void aRepeatedRequestAnswersTheFirstShipmentAndRecordsOneRow() {
    SimulatedCarrier carrier = carrier(0);
    String orderId = UUID.randomUUID().toString();
    Shipment first = carrier.ship(orderId).toCompletableFuture().join();
    for (int i = 0; i < 5; i++) {
      assertEquals(first, carrier.ship(orderId).toCompletableFuture().join());
    }
    assertTrue(first.trackingNumber().matches("SFX\\d{12}"), first.trackingNumber());
    assertEquals("Storefront Express", first.carrier());
    assertEquals(1, ledgerRows(testKit.system(), orderId));
    Shipment other = carrier.ship(UUID.randomUUID().toString()).toCompletableFuture().join();
    assertNotEquals(first.trackingNumber(), other.trackingNumber());
  }

  /**
   * Half of its failures lose the answer after the shipment was made: whatever answers eventually
   * is the one shipment recorded.
   */
  @Test
  void aFailingCarrierAnswersOneShipmentPerOrderOnceItAnswers() {
    SimulatedCarrier carrier = carrier(0.8);
    String orderId = UUID.randomUUID().toString();
    List<Shipment> answered = new ArrayList<>();
    int failures = 0;
    while (answered.size() < 3) {
      try {
        answered.add(carrier.ship(orderId).toCompletableFuture().join());
      } catch (RuntimeException unavailable) {
        failures++;
      }
    }
    assertTrue(failures > 0, "with 80 % failures, some of the requests fail");
    assertEquals(1, answered.stream().distinct().count(), "every answer the same: " + answered);
    assertEquals(1, ledgerRows(testKit.system(), orderId));
  }

  @Test
  void requestsAtTheSameMomentRecordOneShipmentAndNeverAnother() {
    SimulatedCarrier carrier = carrier(0);
    String orderId = UUID.randomUUID().toString();
    List<CompletableFuture<Shipment>> requests = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      requests.add(carrier.ship(orderId).toCompletableFuture());
    }
    List<Shipment> answered = new ArrayList<>();
    for (CompletableFuture<Shipment> request : requests) {
      try {
        answered.add(request.join());
      } catch (RuntimeException beingRecorded) {
        // a request that raced the first one; the order would retry it
      }
    }
    Shipment recorded = carrier.ship(orderId).toCompletableFuture().join();
    assertTrue(answered.stream().allMatch(recorded::equals), "every answer is the recorded one");
    assertEquals(1, ledgerRows(testKit.system(), orderId));
  }
}
