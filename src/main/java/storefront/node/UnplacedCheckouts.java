package storefront.node;

import akka.actor.typed.ActorSystem;
import cart.ShoppingCart;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Carts checked out whose order was never placed, because a node died between the cart's checkout
 * and the order's first write: waking the cart places the order again (idempotent). The only sweep
 * that reads two rooms' tables, the carts and the orders: the cart's own events cannot say whether
 * its order exists, so the sweeper, not the cart package, asks the read side.
 */
public final class UnplacedCheckouts {
  private static final String CHECKED_OUT = ShoppingCart.Status.CHECKED_OUT.label();

  private final ActorSystem<?> system;

  public UnplacedCheckouts(ActorSystem<?> system) {
    this.system = system;
  }

  /** Carts checked out this long ago whose order the read side has never seen, after the cursor. */
  public CompletionStage<List<Stalled>> idleFor(Duration idle, Stalled after, int limit) {
    return Stalled.page(
        system,
        // The status literal matches carts_checked_out_idx's predicate, so the index serves.
        "SELECT c.cart_id AS id, c.updated_at FROM carts c WHERE c.status = '"
            + CHECKED_OUT
            + "' AND c.updated_at < now() - $1 * interval '1 second'"
            + " AND (c.updated_at, c.cart_id) > ($2, $3)"
            + " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = c.order_id)"
            + " ORDER BY c.updated_at, c.cart_id LIMIT $4",
        idle,
        after,
        limit);
  }
}
