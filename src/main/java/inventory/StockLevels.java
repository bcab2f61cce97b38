package inventory;

import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import live.LiveEvent;

/**
 * Units on sale per product as the read side has them (the inventory table), for product pages. A
 * hot product's page is viewed far more often than it is bought: asking its entity would queue
 * every view behind the reservations in its mailbox. The read side lags the entity by well under a
 * second; what a shopper can really buy is decided by the entity when the order reserves.
 */
public final class StockLevels {
  /** The stock over all warehouses of each product in $1, one row per product that has any. */
  static final String LEVELS =
      "SELECT product_id, sum(quantity) AS available, sum(reserved) AS reserved,"
          + " sum(sold) AS sold, max(last_updated) AS at FROM inventory"
          + " WHERE product_id = ANY($1::uuid[]) GROUP BY product_id";

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

  /**
   * The stock over all warehouses of each of these products that has any, as the read side has it.
   */
  public CompletionStage<List<LiveEvent.StockLevel>> levels(Set<UUID> productIds) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.select(
                session.createStatement(LEVELS).bind(0, productIds.toArray(UUID[]::new)),
                StockLevels::level));
  }

  /** A row of product_id, available, reserved, sold (sums) and at. */
  static LiveEvent.StockLevel level(Row row) {
    return new LiveEvent.StockLevel(
        row.get("product_id", UUID.class),
        row.get("available", Long.class).intValue(),
        row.get("reserved", Long.class).intValue(),
        row.get("sold", Long.class).intValue(),
        row.get("at", Instant.class));
  }
}
