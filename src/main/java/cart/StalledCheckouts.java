package cart;

import akka.actor.typed.ActorSystem;
import common.Reply;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Carts that wait for something, from the carts' own table: active carts past their expiry; and the
 * asks that wake a cart. Checked-out carts whose order was never placed are the sweeper's to find
 * (storefront.node.UnplacedCheckouts, which reads the orders too); ended orders whose cart was not
 * told are the order's (order.UnfinishedOrders): the order tells its cart.
 */
public final class StalledCheckouts {
  private final ActorSystem<?> system;

  public StalledCheckouts(ActorSystem<?> system) {
    this.system = system;
  }

  /** Active carts unchanged for this long, after the cursor: due to expire. */
  public CompletionStage<List<Stalled>> expired(Duration expireAfter, Stalled after, int limit) {
    return Stalled.page(
        system,
        "SELECT cart_id AS id, updated_at FROM carts WHERE status = '"
            + ShoppingCart.Status.ACTIVE.label()
            + "'"
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
