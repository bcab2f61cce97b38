package inventory;

import akka.Done;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import io.r2dbc.spi.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the inventory table equal to the ProductStock entities: one row per product and warehouse,
 * moved by each event exactly as the entity's state moved. Exactly-once projection.
 */
public final class InventoryReadSideHandler
    extends R2dbcHandler<EventEnvelope<ProductStock.Event>> {

  @Override
  public CompletionStage<Done> process(
      R2dbcSession session, EventEnvelope<ProductStock.Event> envelope) {
    UUID productId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
    Instant at = Instant.ofEpochMilli(envelope.timestamp());
    ProductStock.Event event = envelope.event();
    List<Statement> statements = new ArrayList<>();
    if (event instanceof ProductStock.StockReceived e) {
      statements.add(
          session
              .createStatement(
                  "INSERT INTO inventory (product_id, warehouse_id, warehouse_location, region,"
                      + " quantity, reserved, sold, received, last_updated)"
                      + " SELECT $1, $2, COALESCE(w.location, $2::text), $3, $4, 0, 0, $4, $5"
                      + " FROM (SELECT 1) AS one LEFT JOIN warehouses w ON w.warehouse_id = $2"
                      + " ON CONFLICT (product_id, warehouse_id) DO UPDATE SET"
                      + " quantity = inventory.quantity + EXCLUDED.quantity,"
                      + " received = inventory.received + EXCLUDED.received,"
                      + " last_updated = EXCLUDED.last_updated")
              .bind(0, productId)
              .bind(1, UUID.fromString(e.warehouseId()))
              .bind(2, e.region())
              .bind(3, e.quantity())
              .bind(4, at.atOffset(ZoneOffset.UTC)));
    } else if (event instanceof ProductStock.StockReserved e) {
      e.allocations().forEach(a -> statements.add(move(session, productId, a, -1, 1, 0, at)));
    } else if (event instanceof ProductStock.StockReleased e) {
      e.allocations().forEach(a -> statements.add(move(session, productId, a, 1, -1, 0, at)));
    } else if (event instanceof ProductStock.StockCommitted e) {
      e.allocations().forEach(a -> statements.add(move(session, productId, a, 0, -1, 1, at)));
    }
    if (statements.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return session.update(statements).thenApply(counts -> Done.getInstance());
  }

  /** Moves an allocation's units between available, reserved and sold (signs per column). */
  private static Statement move(
      R2dbcSession session,
      UUID productId,
      ProductStock.Allocation allocation,
      int available,
      int reserved,
      int sold,
      Instant at) {
    int units = allocation.quantity();
    return session
        .createStatement(
            "UPDATE inventory SET quantity = quantity + $3, reserved = reserved + $4,"
                + " sold = sold + $5, last_updated = $6"
                + " WHERE product_id = $1 AND warehouse_id = $2")
        .bind(0, productId)
        .bind(1, UUID.fromString(allocation.warehouseId()))
        .bind(2, available * units)
        .bind(3, reserved * units)
        .bind(4, sold * units)
        .bind(5, at.atOffset(ZoneOffset.UTC));
  }
}
