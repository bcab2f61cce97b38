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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import live.LiveEvent;
import live.LiveUpdates;
import notification.NotificationLog;

/**
 * Keeps the inventory table equal to the ProductStock entities: one row per product and warehouse.
 * A batch of events is summed per row first, so a hot product's thousands of reservations in a
 * batch become one update of its row; restocks first (they may create the row), then the moves.
 * Grouped exactly-once projection: the rows and the offsets commit in one transaction.
 *
 * <p>In the same transaction: the restocks products planned after selling out (planned_restocks,
 * until applied), and a notification per availability line crossed (sold out, back in stock, low
 * stock). Then the stock level of every product the batch touched, and the notifications new to the
 * table, go out on the live stream.
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
  private static final String PLAN_RESTOCKS =
      "INSERT INTO planned_restocks (product_id, restock_id, warehouse_id, quantity, due_at)"
          + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::int[],"
          + " $5::timestamptz[]) ON CONFLICT DO NOTHING";
  private static final String RESTOCKS_APPLIED =
      "DELETE FROM planned_restocks p USING unnest($1::uuid[], $2::text[]) AS u(product_id,"
          + " restock_id) WHERE p.product_id = u.product_id AND p.restock_id = u.restock_id";

  private final LiveUpdates live;

  public InventoryReadSideHandler(LiveUpdates live) {
    this.live = live;
  }

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
    ColumnBatch plans =
        new ColumnBatch(UUID.class, String.class, UUID.class, Integer.class, Instant.class);
    ColumnBatch plansApplied = new ColumnBatch(UUID.class, String.class);
    NotificationLog notifications = new NotificationLog();
    Set<UUID> touched = new LinkedHashSet<>();
    for (EventEnvelope<ProductStock.Event> envelope : envelopes) {
      UUID productId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
      Instant at = Instant.ofEpochMilli(envelope.timestamp());
      touched.add(productId);
      for (ProductStock.Change change : ProductStock.StockChanged.of(envelope.event())) {
        if (change instanceof ProductStock.StockReceived e
            && e.restockId().startsWith(ProductStock.SELL_OUT_RESTOCK)) {
          plansApplied.add(productId, e.restockId());
        }
        if (change instanceof ProductStock.StockReceived e) {
          Received r =
              received.computeIfAbsent(
                  new Row(productId, UUID.fromString(e.warehouseId())),
                  k -> new Received(e.region()));
          r.quantity += e.quantity();
          r.at = at;
        } else if (change instanceof ProductStock.UnitsReserved e) {
          e.allocations().forEach(a -> move(moved, productId, a, -1, 1, 0, at));
        } else if (change instanceof ProductStock.StockReleased e) {
          e.allocations().forEach(a -> move(moved, productId, a, 1, -1, 0, at));
        } else if (change instanceof ProductStock.StockCommitted e) {
          e.allocations().forEach(a -> move(moved, productId, a, 0, -1, 1, at));
        } else if (change instanceof ProductStock.SoldOut e) {
          if (e.restock() != null) {
            ProductStock.PlannedRestock plan = e.restock();
            plans.add(
                productId,
                plan.restockId(),
                UUID.fromString(plan.warehouseId()),
                plan.quantity(),
                plan.dueAt());
          }
          StockNotices.soldOut(notifications, envelope, productId, e, at);
        } else if (change instanceof ProductStock.BackInStock e) {
          StockNotices.backInStock(notifications, envelope, productId, e, at);
        } else if (change instanceof ProductStock.LowStock e) {
          StockNotices.lowStock(notifications, envelope, productId, e, at);
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
    plans.appendTo(statements, session::createStatement, PLAN_RESTOCKS);
    plansApplied.appendTo(statements, session::createStatement, RESTOCKS_APPLIED);
    return Statements.updateAll(session, statements)
        .thenCompose(done -> notifications.store(session))
        .thenCompose(
            stored ->
                levels(session, touched)
                    .thenApply(
                        levels -> {
                          levels.forEach(live::publish);
                          stored.forEach(n -> live.publish(new LiveEvent.NotificationStored(n)));
                          return Done.getInstance();
                        }));
  }

  /** The stock over all warehouses of each product, as this transaction leaves it. */
  private static CompletionStage<List<LiveEvent.StockLevel>> levels(
      R2dbcSession session, Set<UUID> productIds) {
    return session.select(
        session.createStatement(StockLevels.LEVELS).bind(0, productIds.toArray(UUID[]::new)),
        StockLevels::level);
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
