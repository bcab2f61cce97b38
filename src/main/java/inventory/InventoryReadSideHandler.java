package inventory;

import akka.Done;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import common.ColumnBatch;
import common.Statements;
import io.r2dbc.spi.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Keeps the inventory table equal to the ProductStock entities: one row per product and warehouse.
 * A batch of events is summed per row first, so a hot product's thousands of reservations in a
 * batch become one update of its row; restocks first (they may create the row), then the moves.
 * Grouped exactly-once projection: the rows and the offsets commit in one transaction.
 */
public final class InventoryReadSideHandler
    extends R2dbcHandler<List<EventEnvelope<ProductStock.Event>>> {
  private static final String RESTOCK =
      "INSERT INTO inventory (product_id, warehouse_id, warehouse_location, region, quantity,"
          + " reserved, sold, received, last_updated)"
          + " SELECT u.product_id, u.warehouse_id, COALESCE(w.location, u.warehouse_id::text),"
          + " u.region, u.quantity, 0, 0, u.quantity, u.at"
          + " FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::timestamptz[])"
          + " AS u(product_id, warehouse_id, region, quantity, at)"
          + " LEFT JOIN warehouses w ON w.warehouse_id = u.warehouse_id"
          + " ON CONFLICT (product_id, warehouse_id) DO UPDATE SET"
          + " quantity = inventory.quantity + EXCLUDED.quantity,"
          + " received = inventory.received + EXCLUDED.received,"
          + " last_updated = GREATEST(inventory.last_updated, EXCLUDED.last_updated)";
  private static final String MOVE =
      "UPDATE inventory i SET quantity = i.quantity + u.available,"
          + " reserved = i.reserved + u.reserved, sold = i.sold + u.sold,"
          + " last_updated = GREATEST(i.last_updated, u.at)"
          + " FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::int[],"
          + " $6::timestamptz[]) AS u(product_id, warehouse_id, available, reserved, sold, at)"
          + " WHERE i.product_id = u.product_id AND i.warehouse_id = u.warehouse_id";

  private record Row(UUID productId, UUID warehouseId) {}

  /** What the batch received into one row. */
  private static final class Received {
    final String region;
    int quantity;
    Instant at;

    Received(String region) {
      this.region = region;
    }
  }

  /** How the batch moved one row's units between available, reserved and sold. */
  private static final class Moved {
    int available;
    int reserved;
    int sold;
    Instant at;
  }

  @Override
  public CompletionStage<Done> process(
      R2dbcSession session, List<EventEnvelope<ProductStock.Event>> envelopes) {
    Map<Row, Received> received = new LinkedHashMap<>();
    Map<Row, Moved> moved = new LinkedHashMap<>();
    for (EventEnvelope<ProductStock.Event> envelope : envelopes) {
      UUID productId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
      Instant at = Instant.ofEpochMilli(envelope.timestamp());
      for (ProductStock.Change change : ProductStock.StockChanged.of(envelope.event())) {
        if (change instanceof ProductStock.StockReceived e) {
          Received r =
              received.computeIfAbsent(
                  new Row(productId, UUID.fromString(e.warehouseId())),
                  k -> new Received(e.region()));
          r.quantity += e.quantity();
          r.at = at;
        } else if (change instanceof ProductStock.StockReserved e) {
          e.allocations().forEach(a -> move(moved, productId, a, -1, 1, 0, at));
        } else if (change instanceof ProductStock.StockReleased e) {
          e.allocations().forEach(a -> move(moved, productId, a, 1, -1, 0, at));
        } else if (change instanceof ProductStock.StockCommitted e) {
          e.allocations().forEach(a -> move(moved, productId, a, 0, -1, 1, at));
        }
      }
    }
    ColumnBatch restocks =
        new ColumnBatch(UUID.class, UUID.class, String.class, Integer.class, Instant.class);
    received.forEach(
        (row, r) -> restocks.add(row.productId(), row.warehouseId(), r.region, r.quantity, r.at));
    ColumnBatch moves =
        new ColumnBatch(
            UUID.class, UUID.class, Integer.class, Integer.class, Integer.class, Instant.class);
    moved.forEach(
        (row, m) ->
            moves.add(row.productId(), row.warehouseId(), m.available, m.reserved, m.sold, m.at));
    List<Statement> statements = new ArrayList<>();
    restocks.appendTo(statements, session::createStatement, RESTOCK);
    moves.appendTo(statements, session::createStatement, MOVE);
    return Statements.updateAll(session, statements);
  }

  /** Adds an allocation's units to the row's moves (signs per column). */
  private static void move(
      Map<Row, Moved> moved,
      UUID productId,
      ProductStock.Allocation allocation,
      int available,
      int reserved,
      int sold,
      Instant at) {
    Moved m =
        moved.computeIfAbsent(
            new Row(productId, UUID.fromString(allocation.warehouseId())), k -> new Moved());
    int units = allocation.quantity();
    m.available += available * units;
    m.reserved += reserved * units;
    m.sold += sold * units;
    m.at = at;
  }
}
