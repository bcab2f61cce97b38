package cart;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Carts checked out a while ago whose order the read side has never seen: the node died between the
 * checkout and the order's acknowledgement. Waking the cart places the order again.
 */
public final class UnplacedCheckouts {
  private final ActorSystem<?> system;

  public UnplacedCheckouts(ActorSystem<?> system) {
    this.system = system;
  }

  public CompletionStage<List<String>> idleFor(Duration idle, int limit) {
    return R2dbcSession.withSession(
        system,
        session ->
            session.select(
                session
                    .createStatement(
                        "SELECT c.cart_id FROM carts c WHERE c.status = 'checked_out'"
                            + " AND c.updated_at < now() - make_interval(secs => $1)"
                            + " AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = c.order_id)"
                            + " ORDER BY c.updated_at LIMIT $2")
                    .bind(0, (double) idle.toMillis() / 1000)
                    .bind(1, limit),
                row -> row.get("cart_id", UUID.class).toString()));
  }

  /** Wakes the cart: its recovery places its order again (idempotent). */
  public CompletionStage<ShoppingCart.Reply> wake(String cartId, Duration timeout) {
    return ShoppingCart.entityRef(system, cartId).ask(ShoppingCart.Get::new, timeout);
  }
}
