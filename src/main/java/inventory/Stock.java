package inventory;

import akka.actor.typed.ActorSystem;
import common.Asks;
import java.time.Duration;
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
    return Asks.ask(
        ProductStock.entityRef(system, productId), ProductStock.GetStock::new, askTimeout);
  }

  /** Adds units; the same restock id applied twice adds them once. */
  public CompletionStage<ProductStock.StockView> restock(
      String productId, String restockId, String warehouseId, String region, int quantity) {
    return Asks.ask(
        ProductStock.entityRef(system, productId),
        replyTo -> new ProductStock.Restock(restockId, warehouseId, region, quantity, replyTo),
        askTimeout);
  }
}
