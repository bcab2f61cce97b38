package cart;

import akka.actor.typed.ActorSystem;
import common.Asks;
import common.RequestKey;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Asks the cart entities through Cluster Sharding. */
public final class ShardedCarts implements Carts {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public ShardedCarts(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<ShoppingCart.CartView> open(
      String cartId,
      String userId,
      String region,
      List<ShoppingCart.NewLine> lines,
      RequestKey requestKey) {
    return Asks.ask(
        ShoppingCart.entityRef(system, cartId),
        replyTo ->
            new ShoppingCart.ByShopper(
                userId, new ShoppingCart.Open(userId, region, lines, replyTo), requestKey),
        askTimeout);
  }

  @Override
  public CompletionStage<ShoppingCart.CartView> get(String cartId) {
    return Asks.ask(ShoppingCart.entityRef(system, cartId), ShoppingCart.Get::new, askTimeout);
  }
}
