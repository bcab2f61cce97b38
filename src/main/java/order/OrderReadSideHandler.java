package order;

import static common.Statements.bindNullable;

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
 * Writes the Order events into orders, order_items, order_status_history and payment_details. Runs
 * in an exactly-once projection: the rows and the offset commit in one transaction.
 */
public final class OrderReadSideHandler extends R2dbcHandler<EventEnvelope<Order.Event>> {

  @Override
  public CompletionStage<Done> process(R2dbcSession session, EventEnvelope<Order.Event> envelope) {
    UUID orderId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
    List<Statement> statements = new ArrayList<>();
    Order.Event event = envelope.event();
    long seqNr = envelope.sequenceNr();
    if (event instanceof Order.OrderPlaced e) {
      placed(session, statements, orderId, e);
      statements.add(history(session, orderId, seqNr, "placed", null, e.at()));
    } else if (event instanceof Order.StockReserved e) {
      status(session, statements, orderId, seqNr, "stock_reserved", null, e.at());
    } else if (event instanceof Order.CancellationStarted e) {
      status(session, statements, orderId, seqNr, "canceling", e.reason(), e.at());
    } else if (event instanceof Order.PaymentCharged e) {
      statements.add(payment(session, orderId, e.payment()));
      status(session, statements, orderId, seqNr, "paid", null, e.payment().at());
    } else if (event instanceof Order.PaymentDeclined e) {
      statements.add(payment(session, orderId, e.payment()));
      String reason = "payment declined: " + e.payment().declineReason();
      status(session, statements, orderId, seqNr, "canceling", reason, e.payment().at());
    } else if (event instanceof Order.OrderCompleted e) {
      status(session, statements, orderId, seqNr, "completed", null, e.at());
    } else if (event instanceof Order.OrderCanceled e) {
      status(session, statements, orderId, seqNr, "canceled", e.reason(), e.at());
    }
    if (statements.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return session.update(statements).thenApply(counts -> Done.getInstance());
  }

  private static void placed(
      R2dbcSession session, List<Statement> statements, UUID orderId, Order.OrderPlaced e) {
    OrderDraft draft = e.draft();
    statements.add(
        session
            .createStatement(
                "INSERT INTO orders (order_id, user_id, cart_id, region, order_status,"
                    + " total_amount, payment_method, created_at, updated_at)"
                    + " VALUES ($1, $2, $3, $4, 'placed', $5, $6, $7, $7)")
            .bind(0, orderId)
            .bind(1, UUID.fromString(draft.userId()))
            .bind(2, UUID.fromString(draft.cartId()))
            .bind(3, draft.region())
            .bind(4, e.total())
            .bind(5, draft.paymentMethod())
            .bind(6, e.at().atOffset(ZoneOffset.UTC)));
    for (OrderLine line : draft.lines()) {
      statements.add(
          session
              .createStatement(
                  "INSERT INTO order_items (order_id, product_id, quantity, price)"
                      + " VALUES ($1, $2, $3, $4)")
              .bind(0, orderId)
              .bind(1, UUID.fromString(line.productId()))
              .bind(2, line.quantity())
              .bind(3, line.unitPrice()));
    }
  }

  private static void status(
      R2dbcSession session,
      List<Statement> statements,
      UUID orderId,
      long seqNr,
      String status,
      String reason,
      Instant at) {
    Statement update =
        session
            .createStatement(
                "UPDATE orders SET order_status = $2, cancel_reason = COALESCE($3,"
                    + " cancel_reason), updated_at = $4 WHERE order_id = $1")
            .bind(0, orderId)
            .bind(1, status)
            .bind(3, at.atOffset(ZoneOffset.UTC));
    bindNullable(update, 2, reason, String.class);
    statements.add(update);
    statements.add(history(session, orderId, seqNr, status, reason, at));
  }

  private static Statement history(
      R2dbcSession session, UUID orderId, long seqNr, String status, String reason, Instant at) {
    Statement insert =
        session
            .createStatement(
                "INSERT INTO order_status_history (order_id, seq_nr, status, reason, at)"
                    + " VALUES ($1, $2, $3, $4, $5)")
            .bind(0, orderId)
            .bind(1, seqNr)
            .bind(2, status)
            .bind(4, at.atOffset(ZoneOffset.UTC));
    bindNullable(insert, 3, reason, String.class);
    return insert;
  }

  private static Statement payment(R2dbcSession session, UUID orderId, Payment payment) {
    Statement insert =
        session
            .createStatement(
                "INSERT INTO payment_details (payment_id, order_id, payment_method,"
                    + " payment_status, transaction_id, amount, decline_reason, created_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(0, UUID.fromString(payment.paymentId()))
            .bind(1, orderId)
            .bind(2, payment.method())
            .bind(3, payment.completed() ? "completed" : "failed")
            .bind(4, payment.transactionId())
            .bind(5, payment.amount())
            .bind(7, payment.at().atOffset(ZoneOffset.UTC));
    bindNullable(insert, 6, payment.declineReason(), String.class);
    return insert;
  }
}
