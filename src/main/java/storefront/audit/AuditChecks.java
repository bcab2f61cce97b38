package storefront.audit;

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

  private static final String ORDER_TRANSITIONS =
      "('order.Order$OrderPlaced', 'order.Order$StockReserved', 'order.Order$CancellationStarted',"
          + " 'order.Order$PaymentCharged', 'order.Order$PaymentDeclined',"
          + " 'order.Order$OrderCompleted', 'order.Order$OrderCanceled')";
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
    checks.add(
        check(
            "stock conserved: received = available + reserved + sold, none below zero",
            "SELECT count(*), count(*) FILTER (WHERE quantity < 0 OR reserved < 0 OR sold < 0"
                + " OR received <> quantity + reserved + sold) FROM inventory"));
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
            "every completed order charged exactly once (gateway ledger)",
            "SELECT count(*), count(*) FILTER (WHERE charges <> 1) FROM (SELECT o.order_id,"
                + " count(g.order_id) AS charges FROM orders o LEFT JOIN payment_gateway_charges g"
                + " ON g.order_id = o.order_id::text AND g.status = 'completed'"
                + " WHERE o.order_status = 'completed' GROUP BY o.order_id) AS completed"));
    checks.add(
        check(
            "no canceled order charged",
            "SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM payment_gateway_charges g"
                + " WHERE g.order_id = o.order_id::text AND g.status = 'completed')) FROM orders o"
                + " WHERE o.order_status = 'canceled'"));
    checks.add(
        check(
            "read side: one orders row per placed order",
            "SELECT (SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                + " event_ser_manifest = 'order.Order$OrderPlaced'), abs((SELECT count(*) FROM"
                + " event_journal WHERE entity_type = 'Order' AND event_ser_manifest ="
                + " 'order.Order$OrderPlaced') - (SELECT count(*) FROM orders))"));
    checks.add(
        check(
            "read side: one status row per order transition",
            "SELECT (SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                + " event_ser_manifest IN "
                + ORDER_TRANSITIONS
                + "), abs((SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                + " event_ser_manifest IN "
                + ORDER_TRANSITIONS
                + ") - (SELECT count(*) FROM order_status_history))"));
    checks.add(
        check(
            "read side: one payment row per charge attempt",
            "SELECT (SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                + " event_ser_manifest IN ('order.Order$PaymentCharged',"
                + " 'order.Order$PaymentDeclined')), abs((SELECT count(*) FROM event_journal WHERE"
                + " entity_type = 'Order' AND event_ser_manifest IN ('order.Order$PaymentCharged',"
                + " 'order.Order$PaymentDeclined')) - (SELECT count(*) FROM payment_details))"));
    checks.add(
        check(
            "read side: every cart line event in the change log, and nothing else",
            "SELECT (SELECT count(*) FROM event_journal WHERE entity_type = 'ShoppingCart' AND"
                + " event_ser_manifest IN "
                + CART_LINE_EVENTS
                + "), (SELECT count(*) FROM (SELECT persistence_id, seq_nr FROM event_journal"
                + " WHERE entity_type = 'ShoppingCart' AND event_ser_manifest IN "
                + CART_LINE_EVENTS
                + " EXCEPT SELECT 'ShoppingCart|' || cart_id, seq_nr FROM cart_item_events) AS gaps)"
                + " + (SELECT count(*) FROM (SELECT 'ShoppingCart|' || cart_id, seq_nr FROM"
                + " cart_item_events EXCEPT SELECT persistence_id, seq_nr FROM event_journal) AS"
                + " extra)"));
    checks.add(
        check(
            "read side: one carts row per opened cart",
            "SELECT (SELECT count(*) FROM event_journal WHERE entity_type = 'ShoppingCart' AND"
                + " event_ser_manifest = 'cart.ShoppingCart$CartOpened'), abs((SELECT count(*) FROM"
                + " event_journal WHERE entity_type = 'ShoppingCart' AND event_ser_manifest ="
                + " 'cart.ShoppingCart$CartOpened') - (SELECT count(*) FROM carts))"));
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
