package order;

import java.util.concurrent.CompletionStage;

/**
 * Ships a completed order. Idempotent per order id, like the payment gateway: asking again for the
 * same order answers the shipment already made, so a retry never sends a second parcel.
 */
public interface Carrier {
  CompletionStage<Shipment> ship(String orderId);
}
