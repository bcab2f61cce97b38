package inventory;

import akka.actor.typed.ActorSystem;
import akka.pattern.StatusReply;
import common.Failures;
import common.Rejection;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Asks the sharded ProductStock entities from anywhere in the cluster. */
public final class Stock {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public Stock(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  public CompletionStage<ProductStock.StockView> get(String productId) {
    return ProductStock.entityRef(system, productId).ask(ProductStock.GetStock::new, askTimeout);
  }

  /** Adds units; the same restock id applied twice adds them once. */
  public CompletionStage<ProductStock.StockView> restock(
      String productId, String restockId, String warehouseId, String region, int quantity) {
    return ProductStock.entityRef(system, productId)
        .<ProductStock.StockView>askWithStatus(
            replyTo -> new ProductStock.Restock(restockId, warehouseId, region, quantity, replyTo),
            askTimeout)
        .exceptionally(
            error -> {
              if (Failures.unwrapped(error) instanceof StatusReply.ErrorMessage refused) {
                throw Rejection.invalid(refused.getMessage()).asException();
              }
              throw error instanceof RuntimeException runtime
                  ? runtime
                  : new CompletionException(error);
            });
  }
}
