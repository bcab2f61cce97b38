package order;

import akka.Done;
import java.util.concurrent.CompletionStage;

/**
 * Told how an order ended, so the cart that placed it can follow. Handed to the order by whoever
 * wires the node, so that the order needs no knowledge of carts. Must be idempotent: an order
 * repeats the call until it is acknowledged.
 */
public interface OrderOutcomeListener {
  CompletionStage<Done> orderEnded(String cartId, String orderId, boolean completed, String reason);
}
