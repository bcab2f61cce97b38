package storefront.tools.audit;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import storefront.tools.JournalEvent;

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

  /**
   * A change written alone is its own event; its kind is the name a batch (StockChanged) gives it.
   * Old names stay: the journal keeps every event as it was written. An event or kind not listed
   * here fails the audit by name, rather than showing as a count that differs.
   */
  private static final Map<String, String> KIND_OF_EVENT =
      Map.of(
          "StockReceived", "received",
          "StockReserved", "reserved",
          "UnitsReserved", "reserved",
          "StockReleased", "released",
          "StockCommitted", "committed",
          "SoldOut", "soldOut",
          "BackInStock", "backInStock",
          "LowStock", "lowStock");

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
    List<Object[]> events =
        R2dbcSession.withSession(
                system,
                session ->
                    session.select(
                        session.createStatement(
                            "SELECT persistence_id, event_ser_manifest, event_payload"
                                + " FROM event_journal WHERE entity_type = 'ProductStock'"
                                + " AND NOT deleted ORDER BY persistence_id, seq_nr"),
                        row ->
                            new Object[] {
                              row.get("persistence_id", String.class)
                                  .substring("ProductStock|".length()),
                              JournalEvent.of(
                                  row.get("event_ser_manifest", String.class),
                                  row.get("event_payload", byte[].class))
                            }))
            .toCompletableFuture()
            .join();
    Map<String, int[]> counts = new HashMap<>();
    for (Object[] event : events) {
      add(counts, (String) event[0], (JournalEvent) event[1]);
    }
    return counts;
  }

  /**
   * Counts one stored event of the product, per "product/warehouse": available, reserved, sold,
   * received.
   */
  static void add(Map<String, int[]> counts, String product, JournalEvent stored) {
    if (stored.name().equals("StockChanged")) {
      // A batch: its changes in order, each wrapped in an object named by its kind.
      for (JsonNode change : stored.payload().path("changes")) {
        String kind = change.fieldNames().next();
        count(counts, product, kind, change.get(kind));
      }
    } else {
      String kind = KIND_OF_EVENT.get(stored.name());
      if (kind == null) {
        throw new IllegalStateException(
            "the audit does not know the stock event " + stored.name() + " of " + product);
      }
      count(counts, product, kind, stored.payload());
    }
  }

  private static void count(
      Map<String, int[]> counts, String product, String kind, JsonNode change) {
    switch (kind) {
      case "received" -> {
        int[] warehouse = warehouse(counts, product, change.path("warehouseId").asText());
        warehouse[AVAILABLE] += change.path("quantity").asInt();
        warehouse[RECEIVED] += change.path("quantity").asInt();
      }
      case "reserved" -> move(counts, product, change.path("allocations"), AVAILABLE, RESERVED);
      case "released" -> move(counts, product, change.path("allocations"), RESERVED, AVAILABLE);
      case "committed" -> move(counts, product, change.path("allocations"), RESERVED, SOLD);
      case "soldOut", "backInStock", "lowStock" -> {
        // Availability crossing a line: no count changes.
      }
      default ->
          throw new IllegalStateException(
              "the audit does not know the stock change " + kind + " of " + product);
    }
  }

  private static void move(
      Map<String, int[]> counts, String product, JsonNode allocations, int from, int to) {
    for (JsonNode allocation : allocations) {
      int[] warehouse = warehouse(counts, product, allocation.path("warehouseId").asText());
      warehouse[from] -= allocation.path("quantity").asInt();
      warehouse[to] += allocation.path("quantity").asInt();
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
