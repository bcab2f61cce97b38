package order;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * storefront.checkouts and storefront.orders by outcome, counted by the order entity once its event
 * is written, never in the event handler, which recovery runs again: each order counts once, on the
 * node that ran it.
 */
public final class OrderMetrics {
  private static final String ORDERS = "storefront.orders";

  private final Counter placed;
  private final Counter completed;
  private final Counter canceled;

  OrderMetrics(MeterRegistry registry) {
    this.placed =
        Counter.builder("storefront.checkouts").description("Orders placed").register(registry);
    this.completed = outcome(registry, Order.Status.COMPLETED.label());
    this.canceled = outcome(registry, Order.Status.CANCELED.label());
  }

  private static Counter outcome(MeterRegistry registry, String outcome) {
    return Counter.builder(ORDERS)
        .description("Orders ended, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Orders this node has completed so far (0 before its first). */
  public static long completedSoFar(MeterRegistry registry) {
    return soFar(registry, Order.Status.COMPLETED.label());
  }

  /** Orders this node has canceled so far (0 before its first). */
  public static long canceledSoFar(MeterRegistry registry) {
    return soFar(registry, Order.Status.CANCELED.label());
  }

  private static long soFar(MeterRegistry registry, String outcome) {
    Counter counter = registry.find(ORDERS).tag("outcome", outcome).counter();
    return counter == null ? 0 : Math.round(counter.count());
  }

  void checkedOut() {
    placed.increment();
  }

  /** The order's end was written: completed or canceled. */
  void ended(Order.State ended) {
    (ended.status() == Order.Status.COMPLETED ? completed : canceled).increment();
  }
}
