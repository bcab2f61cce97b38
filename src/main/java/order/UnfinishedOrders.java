package order;

import static order.Order.Status.CANCELED;
import static order.Order.Status.COMPLETED;

import akka.actor.typed.ActorSystem;
import common.Asks;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Orders that have not moved for a while with a step still to take, from the read side: not ended,
 * ended without their cart told, or completed and not shipped. An order whose node died is not
 * running anywhere until something asks for it; waking it lets it resume its step.
 */
public final class UnfinishedOrders {
  private static final String ENDED = "(" + COMPLETED.sql() + ", " + CANCELED.sql() + ")";

  /**
   * The condition of each kind, which must match its partial index's predicate in
   * 04_order_read_side.sql word for word for the index to serve.
   */
  static final String NOT_ENDED = "order_status NOT IN " + ENDED;

  static final String CART_UNTOLD = "order_status IN " + ENDED + " AND NOT cart_notified";

  static final String UNSHIPPED =
      "order_status = " + COMPLETED.sql() + " AND tracking_number IS NULL";

  private final ActorSystem<?> system;

  public UnfinishedOrders(ActorSystem<?> system) {
    this.system = system;
  }

  /** Orders not ended and idle for this long, after the cursor, oldest first. */
  public CompletionStage<List<Stalled>> idleFor(Duration idle, Stalled after, int limit) {
    return idle(NOT_ENDED, idle, after, limit);
  }

  /**
   * Orders ended but whose cart has not heard it (their own CartNotified is not on the read side),
   * idle for this long, after the cursor, oldest first: a crash between the end and the cart's
   * answer leaves them here.
   */
  public CompletionStage<List<Stalled>> untoldFor(Duration idle, Stalled after, int limit) {
    return idle(CART_UNTOLD, idle, after, limit);
  }

  /**
   * Orders completed but not yet shipped, idle for this long, after the cursor, oldest first: a
   * crash between the completion and the carrier's answer leaves them here.
   */
  public CompletionStage<List<Stalled>> unshippedFor(Duration idle, Stalled after, int limit) {
    return idle(UNSHIPPED, idle, after, limit);
  }

  /**
   * Orders in the state the condition names, idle for this long, after the cursor, oldest first.
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

  /** Wakes the order: its recovery starts the step it waits for (telling its cart, say). */
  public CompletionStage<Order.OrderView> wake(String orderId, Duration timeout) {
    return Asks.ask(Order.entityRef(system, orderId), Order.Get::new, timeout);
  }
}
