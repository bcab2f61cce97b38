package cart;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.Reply;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import order.OrderOutcomeListener;

/** Tells a cart how its order ended, through Cluster Sharding. */
public final class CartOrderOutcomes implements OrderOutcomeListener {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public CartOrderOutcomes(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Done> orderEnded(
      String cartId, String orderId, boolean completed, String reason) {
    return ShoppingCart.entityRef(system, cartId)
        .<Reply<ShoppingCart.Acknowledgement>>ask(
            replyTo -> new ShoppingCart.OrderEnded(orderId, completed, reason, replyTo), askTimeout)
        .thenApply(acknowledged -> Done.getInstance());
  }
}
