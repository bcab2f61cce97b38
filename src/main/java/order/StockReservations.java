package order;

import akka.Done;
import java.util.concurrent.CompletionStage;

/** What an order needs from product stock; every call is idempotent per order id. */
public interface StockReservations {

  /** Reserves all units or none; the answer says which. */
  CompletionStage<Outcome> reserve(String productId, String orderId, int quantity, String region);

  CompletionStage<Done> release(String productId, String orderId);

  CompletionStage<Done> commit(String productId, String orderId);

  /** Reserved, or refused with the reason (out of stock, order already ended). */
  record Outcome(boolean reserved, String refusal) {
    public static Outcome ok() {
      return new Outcome(true, null);
    }

    public static Outcome refused(String reason) {
      return new Outcome(false, reason);
    }
  }
}
