package order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * storefront.checkouts and storefront.orders by outcome, counted by the order entity once its event
 * is written, never in the event handler, which recovery runs again: each order counts once, on the
 * node that ran it.
 */
final class OrderMetrics {
  private final Counter placed;
  private final Counter completed;
  private final Counter canceled;

  OrderMetrics(MeterRegistry registry) {
    this.placed =
        Counter.builder("storefront.checkouts").description("Orders placed").register(registry);
    this.completed = outcome(registry, "completed");
    this.canceled = outcome(registry, "canceled");
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder("storefront.orders")
        .description("Orders ended, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  void checkedOut() {
    placed.increment();
  }

  /** The order's end was written: completed or canceled. */
  void ended(Order.State ended) {
    (ended.status() == Order.Status.COMPLETED ? completed : canceled).increment();
  }
}
