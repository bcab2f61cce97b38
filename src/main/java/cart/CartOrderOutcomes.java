package cart;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.Asks;
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
    // A refusal fails the stage like a timeout: the order then keeps its duty to tell the cart.
    return Asks.<ShoppingCart.Command, ShoppingCart.Acknowledgement>ask(
            ShoppingCart.entityRef(system, cartId),
            replyTo -> new ShoppingCart.OrderEnded(orderId, completed, reason, replyTo),
            askTimeout)
        .thenApply(acknowledged -> Done.getInstance());
  }
}
