package storefront.tools.audit;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The invariants of the shop, checked in SQL against the journal, the gateway's ledger and the read
 * side. Each check counts what it looked at and what is wrong.
 */
final class AuditChecks {

  /** One check's outcome: how many things it examined and how many were wrong. */
  record Check(String name, long examined, long wrong) {
    boolean passed() {
      return wrong == 0;
    }
  }

  // Order$StockReserved is Order$AllLinesReserved's name until it was renamed: journals hold both.
  private static final String ORDER_TRANSITIONS =
      "('order.Order$OrderPlaced', 'order.Order$StockReserved', 'order.Order$AllLinesReserved',"
          + " 'order.Order$CancellationStarted',"
          + " 'order.Order$PaymentCharged', 'order.Order$PaymentDeclined',"
          + " 'order.Order$OrderCompleted', 'order.Order$OrderCanceled', 'order.Order$OrderShipped')";
  private static final String CART_LINE_EVENTS =
      "('cart.ShoppingCart$ItemAdded', 'cart.ShoppingCart$ItemQuantityChanged',"
          + " 'cart.ShoppingCart$ItemRemoved')";

  private final ActorSystem<?> system;

  AuditChecks(ActorSystem<?> system) {
    this.system = system;
  }

  List<Check> all(List<UUID> acknowledgedOrders) {
    List<Check> checks = new ArrayList<>();
    if (!acknowledgedOrders.isEmpty()) {
      checks.add(acknowledgedOrdersEnded(acknowledgedOrders));
    }
    checks.add(new StockReplay(system).check());
    checks.add(
        check(
            "no units reserved once every order has ended",
            "SELECT COALESCE(sum(reserved), 0), CASE WHEN EXISTS (SELECT 1 FROM orders WHERE"
                + " order_status NOT IN ('completed', 'canceled')) THEN 0 ELSE COALESCE(sum(reserved),"
                + " 0) END FROM inventory"));
    checks.add(
        check(
            "units sold = units of completed orders",
            "SELECT (SELECT COALESCE(sum(sold), 0) FROM inventory), abs((SELECT COALESCE(sum(sold), 0)"
                + " FROM inventory) - (SELECT COALESCE(sum(i.quantity), 0) FROM order_items i JOIN"
                + " orders o ON o.order_id = i.order_id WHERE o.order_status = 'completed'))"));
    checks.add(
        check(
            "every completed order charged exactly once, its total (gateway ledger)",
            "SELECT count(*), count(*) FILTER (WHERE charges <> 1) FROM (SELECT o.order_id,"
                + " count(g.order_id) AS charges FROM orders o LEFT JOIN payment_gateway_charges g"
                + " ON g.order_id = o.order_id::text AND g.status = 'completed'"
                + " AND g.amount = o.total_amount"
                + " WHERE o.order_status = 'completed' GROUP BY o.order_id) AS completed"));
    checks.add(
        check(
            "no canceled order charged",
            "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM payment_gateway_charges g"
                + " WHERE g.order_id = o.order_id::text AND g.status = 'completed')) FROM orders o"
                + " WHERE o.order_status = 'canceled'"));
    checks.add(
        check(
            "every shipped order has the tracking number the carrier recorded (carrier ledger)",
            "SELECT count(*), count(*) FILTER (WHERE c.tracking_number IS DISTINCT FROM"
                + " o.tracking_number OR o.order_status <> 'completed') FROM orders o"
                + " LEFT JOIN carrier_shipments c ON c.order_id = o.order_id::text"
                + " WHERE o.tracking_number IS NOT NULL"));
    checks.add(
        check(
            "no canceled order shipped (carrier ledger)",
            "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM carrier_shipments c"
                + " WHERE c.order_id = o.order_id::text)) FROM orders o"
                + " WHERE o.order_status = 'canceled'"));
    checks.add(
        journalMatchesTable(
            "read side: one orders row per placed order",
            journalEvents("Order", "('order.Order$OrderPlaced')"),
            "orders"));
    checks.add(
        journalMatchesTable(
            "read side: one status row per order transition",
            journalEvents("Order", ORDER_TRANSITIONS),
            "order_status_history"));
    checks.add(
        journalMatchesTable(
            "read side: one payment row per charge attempt",
            journalEvents("Order", "('order.Order$PaymentCharged', 'order.Order$PaymentDeclined')"),
            "payment_details"));
    String lineEvents = journalEvents("ShoppingCart", CART_LINE_EVENTS);
    checks.add(
        check(
            "read side: every cart line event in the change log, and nothing else",
            "SELECT (SELECT count(*) FROM "
                + lineEvents
                + " AS e), (SELECT count(*) FROM (SELECT * FROM "
                + lineEvents
                + " AS e EXCEPT SELECT 'ShoppingCart|' || cart_id, seq_nr FROM cart_item_events)"
                + " AS gaps) + (SELECT count(*) FROM (SELECT 'ShoppingCart|' || cart_id, seq_nr"
                + " FROM cart_item_events EXCEPT SELECT persistence_id, seq_nr FROM event_journal)"
                + " AS extra)"));
    checks.add(
        journalMatchesTable(
            "read side: one carts row per opened cart",
            journalEvents("ShoppingCart", "('cart.ShoppingCart$CartOpened')"),
            "carts"));
    return checks;
  }

  private Check acknowledgedOrdersEnded(List<UUID> orders) {
    UUID[] ids = orders.toArray(UUID[]::new);
    long ended =
        R2dbcSession.withSession(
                system,
                session ->
                    session.selectOne(
                        session
                            .createStatement(
                                "SELECT count(*) FROM orders WHERE order_id = ANY($1)"
                                    + " AND order_status IN ('completed', 'canceled')")
                            .bind(0, ids),
                        row -> row.get(0, Long.class)))
            .toCompletableFuture()
            .join()
            .orElse(0L);
    return new Check(
        "every acknowledged order exists with a final status",
        orders.size(),
        orders.size() - ended);
  }

  /**
   * The journal's events of these classes for one entity type, as (persistence_id, seq_nr). Every
   * version of a class counts: a class with a migration adds its version to the manifest
   * ("order.Order$CancellationStarted#2").
   */
  private static String journalEvents(String entityType, String classes) {
    return "(SELECT persistence_id, seq_nr FROM event_journal WHERE entity_type = '"
        + entityType
        + "' AND split_part(event_ser_manifest, '#', 1) IN "
        + classes
        + ")";
  }

  /** As many rows in the table as events in the journal: (events examined, difference). */
  private Check journalMatchesTable(String name, String journalEvents, String table) {
    String events = "(SELECT count(*) FROM " + journalEvents + " AS e)";
    return check(
        name, "SELECT " + events + ", abs(" + events + " - (SELECT count(*) FROM " + table + "))");
  }

  /** Runs a query answering (examined, wrong) in one row. */
  private Check check(String name, String sql) {
    long[] counts =
        R2dbcSession.withSession(
                system,
                session ->
                    session.selectOne(
                        session.createStatement(sql),
                        row ->
                            new long[] {
                              ((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()
                            }))
            .toCompletableFuture()
            .join()
            .orElseThrow();
    return new Check(name, counts[0], counts[1]);
  }
}
