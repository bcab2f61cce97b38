package order.payment;

import static common.Statements.bindNullable;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import com.typesafe.config.Config;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;

/**
 * A payment gateway stand-in that behaves like a real one: it takes time, declines a share of
 * charges with a reason, and answers every charge with ids. Its ledger is a table of its own, keyed
 * by order id, so a retried charge returns the first answer whichever node asks: an order is never
 * charged twice.
 */
public final class SimulatedPaymentGateway implements PaymentGateway {
  private static final List<String> DECLINE_REASONS =
      List.of("insufficient funds", "card declined by issuer", "suspected fraud");
  private static final String COLUMNS =
      "payment_id, transaction_id, payment_method, amount, status, decline_reason, created_at";
  private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final ActorSystem<?> system;
  private final Duration latency;
  private final double declineRate;
  private final RandomGenerator random = new SecureRandom();

  public SimulatedPaymentGateway(ActorSystem<?> system, Duration latency, double declineRate) {
    if (declineRate < 0 || declineRate > 1) {
      throw new IllegalArgumentException("decline rate must be within 0..1: " + declineRate);
    }
    this.system = system;
    this.latency = latency;
    this.declineRate = declineRate;
  }

  public static SimulatedPaymentGateway fromConfig(ActorSystem<?> system, Config storefront) {
    Config payment = storefront.getConfig("payment");
    return new SimulatedPaymentGateway(
        system, payment.getDuration("latency"), payment.getDouble("decline-rate"));
  }

  @Override
  public CompletionStage<Payment> charge(String orderId, BigDecimal amount, String method) {
    Payment attempt = decide(amount, method);
    return Patterns.after(
        latency,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> record(orderId, attempt));
  }

  private Payment decide(BigDecimal amount, String method) {
    boolean declined = !PaymentMethods.isSupported(method) || random.nextDouble() < declineRate;
    String reason =
        !PaymentMethods.isSupported(method)
            ? "unsupported payment method"
            : DECLINE_REASONS.get(random.nextInt(DECLINE_REASONS.size()));
    return new Payment(
        UUID.randomUUID().toString(),
        transactionId(method),
        method,
        amount,
        declined ? Payment.Status.FAILED : Payment.Status.COMPLETED,
        declined ? reason : null,
        Instant.now());
  }

  private String transactionId(String method) {
    String prefix = PaymentMethods.PAYPAL.equals(method) ? "PAYID-" : "ch_";
    StringBuilder id = new StringBuilder(prefix);
    for (int i = 0; i < 24; i++) {
      id.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }

  /** Records the attempt unless the order was charged before, and answers what is recorded. */
  private CompletionStage<Payment> record(String orderId, Payment attempt) {
    return Ledger.recordOnce(
        system,
        "payment_gateway_charges",
        "order_id, " + COLUMNS,
        COLUMNS,
        statement ->
            bindNullable(
                statement
                    .bind(0, orderId)
                    .bind(1, UUID.fromString(attempt.paymentId()))
                    .bind(2, attempt.transactionId())
                    .bind(3, attempt.method())
                    .bind(4, attempt.amount())
                    .bind(5, attempt.status().label())
                    .bind(7, attempt.at().atOffset(ZoneOffset.UTC)),
                6,
                attempt.declineReason(),
                String.class),
        SimulatedPaymentGateway::payment,
        "the charge of order " + orderId);
  }

  private static Payment payment(Row row) {
    return new Payment(
        row.get("payment_id", UUID.class).toString(),
        row.get("transaction_id", String.class),
        row.get("payment_method", String.class),
        row.get("amount", BigDecimal.class),
        Payment.Status.valueOf(row.get("status", String.class).toUpperCase(Locale.ROOT)),
        row.get("decline_reason", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
