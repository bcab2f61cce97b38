package order;

import akka.actor.typed.ActorSystem;
import common.Asks;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Orders that have not ended, or completed and not shipped, and have not moved for a while, from
 * the read side. An order whose node died is not running anywhere until something asks for it;
 * waking it lets it resume its step.
 */
public final class UnfinishedOrders {
  private final ActorSystem<?> system;

  public UnfinishedOrders(ActorSystem<?> system) {
    this.system = system;
  }

  /** Orders not ended and idle for this long, after the cursor, oldest first. */
  public CompletionStage<List<Stalled>> idleFor(Duration idle, Stalled after, int limit) {
    return idle("order_status NOT IN ('completed', 'canceled')", idle, after, limit);
  }

  /**
   * Orders completed but not yet shipped, idle for this long, after the cursor, oldest first: a
   * crash between the completion and the carrier's answer leaves them here.
   */
  public CompletionStage<List<Stalled>> unshippedFor(Duration idle, Stalled after, int limit) {
    return idle("order_status = 'completed' AND tracking_number IS NULL", idle, after, limit);
  }

  /**
   * Orders in the state the condition names, idle for this long, after the cursor, oldest first.
   * The condition must match its partial index's predicate word for word for the index to serve.
   */
  private CompletionStage<List<Stalled>> idle(
      String condition, Duration idle, Stalled after, int limit) {
    return Stalled.page(
        system,
        "SELECT order_id AS id, updated_at FROM orders WHERE "
            + condition
            + " AND updated_at < now() - $1 * interval '1 second'"
            + " AND (updated_at, order_id) > ($2, $3)"
            + " ORDER BY updated_at, order_id LIMIT $4",
        idle,
        after,
        limit);
  }

  /** Wakes the order: its recovery starts the step it waits for. */
  public CompletionStage<Order.OrderView> wake(String orderId, Duration timeout) {
    return Asks.ask(Order.entityRef(system, orderId), Order.Get::new, timeout);
  }
}
