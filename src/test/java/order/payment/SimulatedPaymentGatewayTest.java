package order.payment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/** The gateway's ledger against the real database: an order is charged once, however asked. */
class SimulatedPaymentGatewayTest {
  private static ActorTestKit testKit;
  private static SimulatedPaymentGateway gateway;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("SimulatedPaymentGatewayTest");
    gateway = new SimulatedPaymentGateway(testKit.system(), Duration.ZERO, 0.5);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static long ledgerRows(String orderId) {
    return R2dbcSession.withSession(
            testKit.system(),
            session ->
                session.selectOne(
                    session
                        .createStatement(
                            "SELECT count(*) FROM payment_gateway_charges WHERE order_id = $1")
                        .bind(0, orderId),
                    row -> row.get(0, Long.class)))
        .toCompletableFuture()
        .join()
        .orElseThrow();
  }

  @Test
  void aRepeatedChargeAnswersTheFirstOutcomeAndRecordsOneRow() {
    String orderId = UUID.randomUUID().toString();
    Payment first =
        gateway.charge(orderId, new BigDecimal("12.50"), "paypal").toCompletableFuture().join();
    for (int i = 0; i < 5; i++) {
      assertEquals(
          first,
          gateway.charge(orderId, new BigDecimal("12.50"), "paypal").toCompletableFuture().join());
    }
    assertTrue(first.transactionId().startsWith("PAYID-"), first.transactionId());
    assertEquals(1, ledgerRows(orderId));
  }

  @Test
  void chargesAtTheSameMomentRecordOneOutcomeAndNeverAnother() {
    String orderId = UUID.randomUUID().toString();
    List<CompletableFuture<Payment>> charges = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      charges.add(gateway.charge(orderId, BigDecimal.TEN, "credit card").toCompletableFuture());
    }
    List<Payment> answered = new ArrayList<>();
    for (CompletableFuture<Payment> charge : charges) {
      try {
        answered.add(charge.join());
      } catch (RuntimeException beingRecorded) {
        // a charge that raced the first one; the order would retry it
      }
    }
    Payment recorded =
        gateway.charge(orderId, BigDecimal.TEN, "credit card").toCompletableFuture().join();
    assertTrue(answered.stream().allMatch(recorded::equals), "every answer is the recorded one");
    assertEquals(1, ledgerRows(orderId));
  }
}
