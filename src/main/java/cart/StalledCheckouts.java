package cart;

import akka.actor.typed.ActorSystem;
import common.Reply;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Carts that wait for something, found in the read side: carts checked out whose order was never
 * placed because a node died (waking the cart places it again, which is idempotent), and active
 * carts past their expiry. Ended orders whose cart was not told are the order's to find
 * (order.UnfinishedOrders): the order tells its cart.
 */
public final class StalledCheckouts {
  private final ActorSystem<?> system;

  public StalledCheckouts(ActorSystem<?> system) {
    this.system = system;
  }

  /**
   * Carts checked out a while ago whose order the read side has never seen, after the cursor. It
   * still reads the orders table: the cart's own events do not say whether its order was placed.
   */
  public CompletionStage<List<Stalled>> unplaced(Duration idle, Stalled after, int limit) {
    return Stalled.page(
        system,
        "SELECT c.cart_id AS id, c.updated_at FROM carts c WHERE c.status = 'checked_out'"
            + " AND c.updated_at < now() - $1 * interval '1 second'"
            + " AND (c.updated_at, c.cart_id) > ($2, $3)"
            + " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = c.order_id)"
            + " ORDER BY c.updated_at, c.cart_id LIMIT $4",
        idle,
        after,
        limit);
  }

  /** Active carts unchanged for this long, after the cursor: due to expire. */
  public CompletionStage<List<Stalled>> expired(Duration expireAfter, Stalled after, int limit) {
    return Stalled.page(
        system,
        "SELECT cart_id AS id, updated_at FROM carts WHERE status = 'active'"
            + " AND updated_at < now() - $1 * interval '1 second'"
            + " AND (updated_at, cart_id) > ($2, $3)"
            + " ORDER BY updated_at, cart_id LIMIT $4",
        expireAfter,
        after,
        limit);
  }

  /** Asks the cart to expire; it checks its own last change and cancels only when due. */
  public CompletionStage<Reply<ShoppingCart.CartView>> expire(String cartId, Duration timeout) {
    return ShoppingCart.entityRef(system, cartId).ask(ShoppingCart.Expire::new, timeout);
  }

  /** Wakes the cart: its recovery places its order again. */
  public CompletionStage<Reply<ShoppingCart.CartView>> wakeCart(String cartId, Duration timeout) {
    return ShoppingCart.entityRef(system, cartId).ask(ShoppingCart.Get::new, timeout);
  }
}
