package order.payment;

import java.math.BigDecimal;
import java.util.concurrent.CompletionStage;

/**
 * Charges a shopper. Idempotent per order id, like a real gateway's idempotency key: asking again
 * for the same order returns the first answer and never charges twice.
 */
public interface PaymentGateway {
  CompletionStage<Payment> charge(String orderId, BigDecimal amount, String method);
}
