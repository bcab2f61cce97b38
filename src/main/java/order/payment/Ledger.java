package order.payment;

import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The ledger of a simulated provider (the payment gateway, the carrier), a table keyed by order id
 * as a real provider's idempotency key: the first answer for an order is recorded and every later
 * request for it gets that one, whichever node asks. The carrier (order.SimulatedCarrier) keeps its
 * shipments the same way, through this one.
 */
public final class Ledger {
  private Ledger() {}

  /**
   * Inserts the row unless the order has one, and answers the recorded row: one statement, whose
   * parameters are the inserted columns in order, the order id first. A row that would take any
   * unique value already taken inserts nothing: the order's own, or an id another order drew (then
   * the retry draws a new one). When another node records the same order at the same moment, this
   * statement cannot see that row yet and fails saying what is being recorded; the order retries
   * the step and then reads it.
   */
  public static <T> CompletionStage<T> recordOnce(
      ActorSystem<?> system,
      String table,
      String columns,
      String answered,
      UnaryOperator<Statement> bind,
      Function<Row, T> read,
      String what) {
    String values =
        IntStream.rangeClosed(1, columns.split(",").length)
            .mapToObj(i -> "$" + i)
            .collect(Collectors.joining(", "));
    String insertOrRead =
        "WITH inserted AS (INSERT INTO "
            + table
            + " ("
            + columns
            + ") VALUES ("
            + values
            + ") ON CONFLICT DO NOTHING RETURNING "
            + answered
            + ") SELECT "
            + answered
            + " FROM inserted UNION ALL SELECT "
            + answered
            + " FROM "
            + table
            + " WHERE order_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)";
    return DatabasePool.JOURNAL.withSession(
        system,
        session ->
            session
                .selectOne(bind.apply(session.createStatement(insertOrRead)), read::apply)
                .thenApply(
                    recorded ->
                        recorded.orElseThrow(
                            () -> new IllegalStateException(what + " is being recorded"))));
  }
}
