package inventory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * storefront.stock.reservations by outcome, counted by the stock entity as it answers: a
 * reservation once its event is written, a refusal once the writes before it are. A repeated
 * reservation of the same order is not counted again; a refusal, which writes nothing to remember
 * it by, is counted per answer (an order that asks again after a timeout can be refused twice).
 */
final class ReservationMetrics {
  private final Counter reserved;
  private final Counter refused;

  ReservationMetrics(MeterRegistry registry) {
    this.reserved = outcome(registry, "reserved");
    this.refused = outcome(registry, "refused");
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("storefront.stock.reservations")
        .description("Reservations of stock for orders, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void reserved(int reservations) {
    reserved.increment(reservations);
  }

  void refused(int refusals) {
    refused.increment(refusals);
  }
}
