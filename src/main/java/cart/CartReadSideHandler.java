package cart;

import akka.Done;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import common.ColumnBatch;
import common.Statements;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Writes a batch of ShoppingCart events into carts, cart_items and the change log cart_item_events:
 * every cart and every line is written once with where the batch leaves it, and every line event
 * gets its change-log row; at most six statements per batch. Runs in a grouped exactly-once
 * projection: the rows and the offsets commit in one transaction.
 */
public final class CartReadSideHandler
    extends R2dbcHandler<List<EventEnvelope<ShoppingCart.Event>>> {
  private static final String INSERT_CARTS =
      "INSERT INTO carts (cart_id, user_id, region, status, order_id, cancel_reason, created_at,"
          + " updated_at) SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[],"
          + " $5::uuid[], $6::text[], $7::timestamptz[], $8::timestamptz[])";
  private static final String UPDATE_CARTS =
      "UPDATE carts c SET status = COALESCE(u.status, c.status),"
          + " order_id = COALESCE(u.order_id, c.order_id),"
          + " cancel_reason = CASE WHEN u.reason_set THEN u.reason ELSE c.cancel_reason END,"
          + " updated_at = u.at"
          + " FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::boolean[], $5::text[],"
          + " $6::timestamptz[]) AS u(cart_id, status, order_id, reason_set, reason, at)"
          + " WHERE c.cart_id = u.cart_id";
  private static final String DELETE_LINES =
      "DELETE FROM cart_items i USING unnest($1::uuid[], $2::uuid[]) AS u(cart_id, product_id)"
          + " WHERE i.cart_id = u.cart_id AND i.product_id = u.product_id";
  private static final String INSERT_LINES =
      "INSERT INTO cart_items (cart_id, product_id, quantity, price, added_at)"
          + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::numeric[],"
          + " $5::timestamptz[])";
  private static final String UPDATE_LINES =
      "UPDATE cart_items i SET quantity = u.quantity, price = u.price"
          + " FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::numeric[])"
          + " AS u(cart_id, product_id, quantity, price)"
          + " WHERE i.cart_id = u.cart_id AND i.product_id = u.product_id";
  private static final String INSERT_CHANGES =
      "INSERT INTO cart_item_events (cart_id, seq_nr, event_time, operation, operation_code,"
          + " user_id, product_id, quantity_before, quantity_after, price)"
          + " SELECT u.cart_id, u.seq_nr, u.event_time, u.operation, u.operation_code, c.user_id,"
          + " u.product_id, u.quantity_before, u.quantity_after, u.price"
          + " FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::text[],"
          + " $5::smallint[], $6::uuid[], $7::int[], $8::int[], $9::numeric[])"
          + " AS u(cart_id, seq_nr, event_time, operation, operation_code, product_id,"
          + " quantity_before, quantity_after, price)"
          + " JOIN carts c ON c.cart_id = u.cart_id";

  /**
   * A line change as a CDC log records it: its name in the operation column, and its code, SQL
   * Server CDC's __$operation.
   */
  enum Operation {
    DELETE(1),
    INSERT(2),
    UPDATE(4);

    final String label;
    final short code;

    Operation(int code) {
      this.label = name().toLowerCase(Locale.ROOT);
      this.code = (short) code;
    }
  }

  /** A cart's row as the batch leaves it; null fields are unchanged by the batch. */
  private static final class CartRow {
    ShoppingCart.CartOpened opened;
    String status;
    UUID orderId;
    boolean reasonSet;
    String reason;
    Instant updatedAt;

    void ended(String endStatus, String endReason, Instant at) {
      status = endStatus;
      reasonSet = true;
      reason = endReason;
      updatedAt = at;
    }
  }

  /** A line's row as the batch leaves it. */
  private static final class LineRow {
    boolean removed;
    boolean added;
    boolean present;
    int quantity;
    BigDecimal price;
    Instant addedAt;
  }

  private record LineKey(UUID cartId, UUID productId) {}

  @Override
  public CompletionStage<Done> process(
      R2dbcSession session, List<EventEnvelope<ShoppingCart.Event>> envelopes) {
    Map<UUID, CartRow> carts = new LinkedHashMap<>();
    Map<LineKey, LineRow> lines = new LinkedHashMap<>();
    ColumnBatch changes =
        new ColumnBatch(
            UUID.class,
            Long.class,
            Instant.class,
            String.class,
            Short.class,
            UUID.class,
            Integer.class,
            Integer.class,
            BigDecimal.class);
    for (EventEnvelope<ShoppingCart.Event> envelope : envelopes) {
      UUID cartId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
      CartRow cart = carts.computeIfAbsent(cartId, id -> new CartRow());
      ShoppingCart.Event event = envelope.event();
      if (event instanceof ShoppingCart.CartOpened e) {
        cart.opened = e;
        cart.status = ShoppingCart.Status.ACTIVE.label();
        cart.updatedAt = e.at();
      } else if (event instanceof ShoppingCart.ItemAdded e) {
        LineRow line =
            lines.computeIfAbsent(new LineKey(cartId, uuid(e.productId())), k -> new LineRow());
        line.added = true;
        line.present = true;
        line.quantity = e.quantity();
        line.price = e.unitPrice();
        line.addedAt = e.at();
        cart.updatedAt = e.at();
        changes.add(
            cartId,
            envelope.sequenceNr(),
            e.at(),
            Operation.INSERT.label,
            Operation.INSERT.code,
            uuid(e.productId()),
            0,
            e.quantity(),
            e.unitPrice());
      } else if (event instanceof ShoppingCart.ItemQuantityChanged e) {
        LineRow line =
            lines.computeIfAbsent(new LineKey(cartId, uuid(e.productId())), k -> new LineRow());
        line.present = true;
        line.quantity = e.newQuantity();
        line.price = e.unitPrice();
        cart.updatedAt = e.at();
        changes.add(
            cartId,
            envelope.sequenceNr(),
            e.at(),
            Operation.UPDATE.label,
            Operation.UPDATE.code,
            uuid(e.productId()),
            e.oldQuantity(),
            e.newQuantity(),
            e.unitPrice());
      } else if (event instanceof ShoppingCart.ItemRemoved e) {
        LineRow line =
            lines.computeIfAbsent(new LineKey(cartId, uuid(e.productId())), k -> new LineRow());
        line.removed = true;
        line.added = false;
        line.present = false;
        cart.updatedAt = e.at();
        changes.add(
            cartId,
            envelope.sequenceNr(),
            e.at(),
            Operation.DELETE.label,
            Operation.DELETE.code,
            uuid(e.productId()),
            e.oldQuantity(),
            0,
            e.unitPrice());
      } else if (event instanceof ShoppingCart.CartCheckedOut e) {
        cart.status = ShoppingCart.Status.CHECKED_OUT.label();
        cart.orderId = uuid(e.orderId());
        cart.updatedAt = e.at();
      } else if (event instanceof ShoppingCart.CartCompleted e) {
        cart.ended(ShoppingCart.Status.INACTIVE.label(), null, e.at());
      } else if (event instanceof ShoppingCart.CartCanceled e) {
        cart.ended(ShoppingCart.Status.CANCELED.label(), e.reason(), e.at());
      }
    }
    return write(session, carts, lines, changes);
  }

  private static CompletionStage<Done> write(
      R2dbcSession session,
      Map<UUID, CartRow> carts,
      Map<LineKey, LineRow> lines,
      ColumnBatch changes) {
    ColumnBatch opened =
        new ColumnBatch(
            UUID.class,
            UUID.class,
            String.class,
            String.class,
            UUID.class,
            String.class,
            Instant.class,
            Instant.class);
    ColumnBatch updated =
        new ColumnBatch(
            UUID.class, String.class, UUID.class, Boolean.class, String.class, Instant.class);
    carts.forEach(
        (cartId, cart) -> {
          if (cart.opened != null) {
            opened.add(
                cartId,
                uuid(cart.opened.userId()),
                cart.opened.region(),
                cart.status,
                cart.orderId,
                cart.reason,
                cart.opened.at(),
                cart.updatedAt);
          } else if (cart.updatedAt != null) {
            updated.add(
                cartId, cart.status, cart.orderId, cart.reasonSet, cart.reason, cart.updatedAt);
          }
        });
    ColumnBatch deleted = new ColumnBatch(UUID.class, UUID.class);
    ColumnBatch inserted =
        new ColumnBatch(UUID.class, UUID.class, Integer.class, BigDecimal.class, Instant.class);
    ColumnBatch changedQuantity =
        new ColumnBatch(UUID.class, UUID.class, Integer.class, BigDecimal.class);
    lines.forEach(
        (key, line) -> {
          if (line.removed) {
            deleted.add(key.cartId(), key.productId());
          }
          if (line.present && line.added) {
            inserted.add(key.cartId(), key.productId(), line.quantity, line.price, line.addedAt);
          } else if (line.present) {
            changedQuantity.add(key.cartId(), key.productId(), line.quantity, line.price);
          }
        });

    // Carts first: lines and change-log rows refer to them.
    List<Statement> statements = new ArrayList<>();
    opened.appendTo(statements, session::createStatement, INSERT_CARTS);
    updated.appendTo(statements, session::createStatement, UPDATE_CARTS);
    deleted.appendTo(statements, session::createStatement, DELETE_LINES);
    inserted.appendTo(statements, session::createStatement, INSERT_LINES);
    changedQuantity.appendTo(statements, session::createStatement, UPDATE_LINES);
    changes.appendTo(statements, session::createStatement, INSERT_CHANGES);
    return Statements.updateAll(session, statements);
  }

  private static UUID uuid(String id) {
    return UUID.fromString(id);
  }
}
