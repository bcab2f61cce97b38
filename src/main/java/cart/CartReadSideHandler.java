package cart;

import static common.Statements.bindNullable;

import akka.Done;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes the ShoppingCart events into carts, cart_items and the change log cart_item_events. Runs
 * in an exactly-once projection: the rows and the offset commit in one transaction.
 */
public final class CartReadSideHandler extends R2dbcHandler<EventEnvelope<ShoppingCart.Event>> {

  /** A line change as a CDC log records it; the code is SQL Server CDC's __$operation. */
  enum Operation {
    DELETE(1),
    INSERT(2),
    UPDATE(4);

    final int code;

    Operation(int code) {
      this.code = code;
    }
  }

  @Override
  public java.util.concurrent.CompletionStage<Done> process(
      R2dbcSession session, EventEnvelope<ShoppingCart.Event> envelope) {
    UUID cartId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
    long seqNr = envelope.sequenceNr();
    ShoppingCart.Event event = envelope.event();
    List<Statement> statements = new ArrayList<>();
    if (event instanceof ShoppingCart.CartOpened e) {
      statements.add(
          session
              .createStatement(
                  "INSERT INTO carts (cart_id, user_id, region, status, created_at, updated_at)"
                      + " VALUES ($1, $2, $3, 'active', $4, $4)")
              .bind(0, cartId)
              .bind(1, UUID.fromString(e.userId()))
              .bind(2, e.region())
              .bind(3, e.at().atOffset(ZoneOffset.UTC)));
    } else if (event instanceof ShoppingCart.ItemAdded e) {
      Statement insert =
          session
              .createStatement(
                  "INSERT INTO cart_items (cart_id, product_id, quantity, price, added_at)"
                      + " VALUES ($1, $2, $3, $4, $5)")
              .bind(0, cartId)
              .bind(1, UUID.fromString(e.productId()))
              .bind(2, e.quantity())
              .bind(3, e.unitPrice())
              .bind(4, e.at().atOffset(ZoneOffset.UTC));
      lineChanged(
          session,
          statements,
          insert,
          new LineChange(
              cartId,
              seqNr,
              e.at(),
              Operation.INSERT,
              e.productId(),
              0,
              e.quantity(),
              e.unitPrice()));
    } else if (event instanceof ShoppingCart.ItemQuantityChanged e) {
      Statement update =
          session
              .createStatement(
                  "UPDATE cart_items SET quantity = $3 WHERE cart_id = $1 AND product_id = $2")
              .bind(0, cartId)
              .bind(1, UUID.fromString(e.productId()))
              .bind(2, e.newQuantity());
      lineChanged(
          session,
          statements,
          update,
          new LineChange(
              cartId,
              seqNr,
              e.at(),
              Operation.UPDATE,
              e.productId(),
              e.oldQuantity(),
              e.newQuantity(),
              e.unitPrice()));
    } else if (event instanceof ShoppingCart.ItemRemoved e) {
      Statement delete =
          session
              .createStatement("DELETE FROM cart_items WHERE cart_id = $1 AND product_id = $2")
              .bind(0, cartId)
              .bind(1, UUID.fromString(e.productId()));
      lineChanged(
          session,
          statements,
          delete,
          new LineChange(
              cartId,
              seqNr,
              e.at(),
              Operation.DELETE,
              e.productId(),
              e.oldQuantity(),
              0,
              e.unitPrice()));
    } else if (event instanceof ShoppingCart.CheckedOutEvent e) {
      statements.add(
          session
              .createStatement(
                  "UPDATE carts SET status = 'checked_out', order_id = $2, updated_at = $3"
                      + " WHERE cart_id = $1")
              .bind(0, cartId)
              .bind(1, UUID.fromString(e.orderId()))
              .bind(2, e.at().atOffset(ZoneOffset.UTC)));
    } else if (event instanceof ShoppingCart.CartCompleted e) {
      statements.add(ended(session, cartId, "inactive", null, e.at()));
    } else if (event instanceof ShoppingCart.CartCanceled e) {
      statements.add(ended(session, cartId, "canceled", e.reason(), e.at()));
    }
    return session.update(statements).thenApply(counts -> Done.getInstance());
  }

  /** One change of a cart line, as the change log records it. */
  private record LineChange(
      UUID cartId,
      long seqNr,
      Instant at,
      Operation operation,
      String productId,
      int before,
      int after,
      BigDecimal price) {}

  /** The line's own statement, its change-log row, and the cart's last activity. */
  private static void lineChanged(
      R2dbcSession session, List<Statement> statements, Statement line, LineChange change) {
    statements.add(line);
    statements.add(
        session
            .createStatement(
                "INSERT INTO cart_item_events (cart_id, seq_nr, event_time, operation,"
                    + " operation_code, user_id, product_id, quantity_before, quantity_after,"
                    + " price) SELECT $1, $2, $3, $4, $5, c.user_id, $6, $7, $8, $9 FROM carts c"
                    + " WHERE c.cart_id = $1")
            .bind(0, change.cartId())
            .bind(1, change.seqNr())
            .bind(2, change.at().atOffset(ZoneOffset.UTC))
            .bind(3, change.operation().name().toLowerCase())
            .bind(4, (short) change.operation().code)
            .bind(5, UUID.fromString(change.productId()))
            .bind(6, change.before())
            .bind(7, change.after())
            .bind(8, change.price()));
    statements.add(touch(session, change.cartId(), change.at()));
  }

  private static Statement touch(R2dbcSession session, UUID cartId, Instant at) {
    return session
        .createStatement("UPDATE carts SET updated_at = $2 WHERE cart_id = $1")
        .bind(0, cartId)
        .bind(1, at.atOffset(ZoneOffset.UTC));
  }

  private static Statement ended(
      R2dbcSession session, UUID cartId, String status, String reason, Instant at) {
    Statement update =
        session
            .createStatement(
                "UPDATE carts SET status = $2, cancel_reason = $3, updated_at = $4"
                    + " WHERE cart_id = $1")
            .bind(0, cartId)
            .bind(1, status)
            .bind(3, at.atOffset(ZoneOffset.UTC));
    return bindNullable(update, 2, reason, String.class);
  }
}
