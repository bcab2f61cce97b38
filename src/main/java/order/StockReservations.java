package order;

import akka.Done;
import common.Reply;
import inventory.ProductStock;
import java.util.concurrent.CompletionStage;

/** What an order needs from product stock; every call is idempotent per order id. */
public interface StockReservations {

  /**
   * Reserves all units or none. The stock's own answer: reserved, or rejected with the reason (out
   * of stock, an invalid quantity), which the order decides on; a failed stage is a failed step.
   */
  CompletionStage<Reply<ProductStock.Reserved>> reserve(
      String productId, String orderId, int quantity, String region);

  CompletionStage<Done> release(String productId, String orderId);

  CompletionStage<Done> commit(String productId, String orderId);
}
