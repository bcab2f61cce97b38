package storefront.audit;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import inventory.ProductStock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every product's stock counted from its journal, event by event, and compared with the read side's
 * inventory rows: two sources that nothing but the projection connects. The counting here is the
 * audit's own (it does not reuse the entity's state), so that a mistake in either shows.
 */
final class StockReplay {
  private static final int AVAILABLE = 0;
  private static final int RESERVED = 1;
  private static final int SOLD = 2;
  private static final int RECEIVED = 3;

  private final ActorSystem<?> system;

  StockReplay(ActorSystem<?> system) {
    this.system = system;
  }

  /** (product and warehouse pairs examined, pairs that differ or went below zero) */
  AuditChecks.Check check() {
    Map<String, int[]> fromJournal = replay();
    Map<String, int[]> readSide = readSide();
    Set<String> pairs = new HashSet<>(fromJournal.keySet());
    pairs.addAll(readSide.keySet());
    long wrong =
        pairs.stream()
            .filter(
                pair -> {
                  int[] replayed = fromJournal.get(pair);
                  return replayed == null
                      || Arrays.stream(replayed).anyMatch(count -> count < 0)
                      || !Arrays.equals(replayed, readSide.get(pair));
                })
            .count();
    return new AuditChecks.Check(
        "stock: the journal replayed equals the read side per warehouse, none below zero",
        pairs.size(),
        wrong);
  }

  /** Counts per "product/warehouse", from every ProductStock event in sequence order. */
  private Map<String, int[]> replay() {
    Serialization serialization = SerializationExtension.get(system);
    List<Object[]> events =
        R2dbcSession.withSession(
                system,
                session ->
                    session.select(
                        session.createStatement(
                            "SELECT persistence_id, event_ser_id, event_ser_manifest, event_payload"
                                + " FROM event_journal WHERE entity_type = 'ProductStock'"
                                + " AND NOT deleted ORDER BY persistence_id, seq_nr"),
                        row ->
                            new Object[] {
                              row.get("persistence_id", String.class)
                                  .substring("ProductStock|".length()),
                              serialization
                                  .deserialize(
                                      row.get("event_payload", byte[].class),
                                      row.get("event_ser_id", Integer.class),
                                      row.get("event_ser_manifest", String.class))
                                  .get()
                            }))
            .toCompletableFuture()
            .join();
    Map<String, int[]> counts = new HashMap<>();
    for (Object[] event : events) {
      String product = (String) event[0];
      for (ProductStock.Change change :
          ProductStock.StockChanged.of((ProductStock.Event) event[1])) {
        count(counts, product, change);
      }
    }
    return counts;
  }

  private static void count(Map<String, int[]> counts, String product, ProductStock.Change change) {
    if (change instanceof ProductStock.StockReceived received) {
      int[] warehouse = warehouse(counts, product, received.warehouseId());
      warehouse[AVAILABLE] += received.quantity();
      warehouse[RECEIVED] += received.quantity();
    } else if (change instanceof ProductStock.UnitsReserved reserved) {
      move(counts, product, reserved.allocations(), AVAILABLE, RESERVED);
    } else if (change instanceof ProductStock.StockReleased released) {
      move(counts, product, released.allocations(), RESERVED, AVAILABLE);
    } else if (change instanceof ProductStock.StockCommitted committed) {
      move(counts, product, committed.allocations(), RESERVED, SOLD);
    }
  }

  private static void move(
      Map<String, int[]> counts,
      String product,
      List<ProductStock.Allocation> allocations,
      int from,
      int to) {
    for (ProductStock.Allocation allocation : allocations) {
      int[] warehouse = warehouse(counts, product, allocation.warehouseId());
      warehouse[from] -= allocation.quantity();
      warehouse[to] += allocation.quantity();
    }
  }

  private static int[] warehouse(Map<String, int[]> counts, String product, String warehouseId) {
    return counts.computeIfAbsent(product + "/" + warehouseId, pair -> new int[4]);
  }

  private Map<String, int[]> readSide() {
    List<Object[]> rows =
        R2dbcSession.withSession(
                system,
                session ->
                    session.select(
                        session.createStatement(
                            "SELECT product_id, warehouse_id, quantity, reserved, sold, received"
                                + " FROM inventory"),
                        row ->
                            new Object[] {
                              row.get("product_id") + "/" + row.get("warehouse_id"),
                              new int[] {
                                row.get("quantity", Integer.class),
                                row.get("reserved", Integer.class),
                                row.get("sold", Integer.class),
                                row.get("received", Integer.class)
                              }
                            }))
            .toCompletableFuture()
            .join();
    Map<String, int[]> counts = new HashMap<>();
    rows.forEach(row -> counts.put((String) row[0], (int[]) row[1]));
    return counts;
  }
}
