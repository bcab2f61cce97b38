package order;

import akka.Done;
import akka.actor.typed.ActorSystem;
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
  public CompletionStage<Outcome> reserve(
      String productId, String orderId, int quantity, String region) {
    return ProductStock.entityRef(system, productId)
        .<ProductStock.ReserveReply>ask(
            replyTo ->
                new ProductStock.Reserve(
                    orderId, quantity, region, Instant.now().plus(askTimeout), replyTo),
            askTimeout)
        .thenApply(
            reply ->
                reply instanceof ProductStock.Refused refused
                    ? Outcome.refused(refused.reason())
                    : Outcome.ok());
  }

  @Override
  public CompletionStage<Done> release(String productId, String orderId) {
    return ProductStock.entityRef(system, productId)
        .ask(replyTo -> new ProductStock.Release(orderId, replyTo), askTimeout);
  }

  @Override
  public CompletionStage<Done> commit(String productId, String orderId) {
    return ProductStock.entityRef(system, productId)
        .ask(replyTo -> new ProductStock.Commit(orderId, replyTo), askTimeout);
  }
}
