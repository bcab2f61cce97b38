package order;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.Asks;
import common.Reply;
import inventory.ProductStock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Order's steps against the sharded ProductStock entities. */
public final class ShardedStockReservations implements StockReservations {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public ShardedStockReservations(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Reply<ProductStock.Reserved>> reserve(
      String productId, String orderId, int quantity, String region) {
    // A refusal is an outcome the order decides on, not a failure of the step.
    return ProductStock.entityRef(system, productId)
        .<Reply<ProductStock.Reserved>>ask(
            replyTo ->
                new ProductStock.Reserve(
                    orderId, quantity, region, Instant.now().plus(askTimeout), replyTo),
            askTimeout);
  }

  @Override
  public CompletionStage<Done> release(String productId, String orderId) {
    CompletionStage<ProductStock.ReservationEnded> released =
        Asks.ask(
            ProductStock.entityRef(system, productId),
            replyTo -> new ProductStock.Release(orderId, replyTo),
            askTimeout);
    return released.thenApply(ended -> Done.getInstance());
  }

  @Override
  public CompletionStage<Done> commit(String productId, String orderId) {
    CompletionStage<ProductStock.ReservationEnded> committed =
        Asks.ask(
            ProductStock.entityRef(system, productId),
            replyTo -> new ProductStock.Commit(orderId, replyTo),
            askTimeout);
    return committed.thenApply(ended -> Done.getInstance());
  }
}
