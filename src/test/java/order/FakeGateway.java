package order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import order.payment.Payment;
import order.payment.PaymentGateway;

/** A gateway that declines on demand and, like the real one, answers a repeated charge the same. */
final class FakeGateway implements PaymentGateway {
  final Map<String, Payment> charges = new ConcurrentHashMap<>();
  final AtomicInteger calls = new AtomicInteger();
  volatile boolean decline;

  /** While set, charges never answer: the order is stuck in its payment step. */
  volatile boolean hang;

  @Override
  public CompletionStage<Payment> charge(String orderId, BigDecimal amount, String method) {
    calls.incrementAndGet();
    if (hang) {
      return new CompletableFuture<>();
    }
    Payment payment =
        charges.computeIfAbsent(
            orderId,
            id ->
                new Payment(
                    UUID.randomUUID().toString(),
                    "ch_" + id,
                    method,
                    amount,
                    decline ? Payment.Status.FAILED : Payment.Status.COMPLETED,
                    decline ? "insufficient funds" : null,
                    Instant.now()));
    return CompletableFuture.completedFuture(payment);
  }
}
