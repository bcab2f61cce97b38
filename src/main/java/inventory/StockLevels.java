package inventory;

import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Units on sale per product as the read side has them (the inventory table), for product pages. A
 * hot product's page is viewed far more often than it is bought: asking its entity would queue
 * every view behind the reservations in its mailbox. The read side lags the entity by well under a
 * second; what a shopper can really buy is decided by the entity when the order reserves.
 */
public final class StockLevels {
  private final ActorSystem<?> system;

  public StockLevels(ActorSystem<?> system) {
    this.system = system;
  }

  public CompletionStage<Integer> available(String productId) {
    return DatabasePool.SHOP_QUERIES
        .withSession(
            system,
            session ->
                session.selectOne(
                    session
                        .createStatement(
                            "SELECT COALESCE(sum(quantity), 0) FROM inventory"
                                + " WHERE product_id = $1")
                        .bind(0, UUID.fromString(productId)),
                    row -> row.get(0, Long.class)))
        .thenApply(units -> units.orElse(0L).intValue());
  }
}
