package order;

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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import live.LiveEvent;
import live.LiveUpdates;
import notification.NotificationLog;
import order.payment.Payment;

/**
 * Writes a batch of Order events into orders, order_items, order_status_history and
 * payment_details: at most seven statements for the whole batch, each row bound as arrays. An order
 * placed and moved on within the batch is inserted with its latest status, its shipment and whether
 * its cart was told; orders placed earlier get one update each for their status, their shipment and
 * their cart being told (the column the stalled-process sweeper reads: {@link
 * UnfinishedOrders#untoldFor}). A shipment is a row of the history (status {@value #SHIPPED}) but
 * not a status of the order, which stays completed. Runs in a grouped exactly-once projection: the
 * rows and the offsets of the batch commit in one transaction.
 *
 * <p>In the same transaction, the notifications to the order's user (confirmation, payment
 * failure); then every order's new status and the new notifications go out on the live stream.
 */
public final class OrderReadSideHandler extends R2dbcHandler<List<EventEnvelope<Order.Event>>> {
  private static final String INSERT_ORDERS =
      "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
          + " payment_method, cancel_reason, cancel_cause, created_at, updated_at, carrier,"
          + " tracking_number, shipped_at, cart_notified)"
          + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[],"
          + " $6::numeric[], $7::text[], $8::text[], $9::text[], $10::timestamptz[],"
          + " $11::timestamptz[], $12::text[], $13::text[], $14::timestamptz[], $15::boolean[])";
  private static final String INSERT_ITEMS =
      "INSERT INTO order_items (order_id, product_id, quantity, price)"
          + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::numeric[])";
  private static final String UPDATE_ORDERS =
      "UPDATE orders o SET order_status = u.status,"
          + " cancel_reason = COALESCE(u.reason, o.cancel_reason),"
          + " cancel_cause = COALESCE(u.cause, o.cancel_cause), updated_at = u.at"
          + " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])"
          + " AS u(order_id, status, reason, cause, at) WHERE o.order_id = u.order_id"
          + " RETURNING o.order_id, o.user_id, o.order_status, o.updated_at";
  private static final String UPDATE_SHIPMENTS =
      "UPDATE orders o SET carrier = u.carrier, tracking_number = u.tracking_number,"
          + " shipped_at = u.at"
          + " FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[])"
          + " AS u(order_id, carrier, tracking_number, at) WHERE o.order_id = u.order_id";
  private static final String UPDATE_CART_NOTIFIED =
      "UPDATE orders o SET cart_notified = true FROM unnest($1::uuid[]) AS u(order_id)"
          + " WHERE o.order_id = u.order_id";
  private static final String INSERT_HISTORY =
      "INSERT INTO order_status_history (order_id, seq_nr, status, reason, at)"
          + " SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::text[],"
          + " $5::timestamptz[])";
  private static final String INSERT_PAYMENTS =
      "INSERT INTO payment_details (payment_id, order_id, payment_method, payment_status,"
          + " transaction_id, amount, decline_reason, created_at)"
          + " SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],"
          + " $6::numeric[], $7::text[], $8::timestamptz[])";

  /** The history's entry for a shipment. */
  static final String SHIPPED = "shipped";

  /** An order's row as this batch leaves it. */
  private static final class OrderRow {
    final OrderDraft draft;
    final BigDecimal total;
    final Instant createdAt;
    String status = Order.Status.PLACED.label();
    String cancelReason;
    String cancelCause;
    Instant updatedAt;
    Order.OrderShipped shipment;
    boolean cartNotified;

    OrderRow(Order.OrderPlaced placed) {
      this.draft = placed.draft();
      this.total = placed.total();
      this.createdAt = placed.at();
      this.updatedAt = placed.at();
    }
  }

  /**
   * The latest status of an order placed in an earlier batch; a reason and its cause, once given,
   * stay until another replaces them.
   */
  private record StatusChange(String status, String reason, String cause, Instant at) {
    StatusChange(String status, Instant at) {
      this(status, null, null, at);
    }

    StatusChange then(StatusChange next) {
      return new StatusChange(
          next.status,
          next.reason != null ? next.reason : reason,
          next.cause != null ? next.cause : cause,
          next.at);
    }
  }

  private final LiveUpdates live;

  public OrderReadSideHandler(LiveUpdates live) {
    this.live = live;
  }

  @Override
  public CompletionStage<Done> process(
      R2dbcSession session, List<EventEnvelope<Order.Event>> envelopes) {
    Map<UUID, OrderRow> placed = new LinkedHashMap<>();
    Map<UUID, StatusChange> changed = new LinkedHashMap<>();
    Map<UUID, Order.OrderShipped> shipped = new LinkedHashMap<>();
    ColumnBatch told = new ColumnBatch(UUID.class);
    ColumnBatch history =
        new ColumnBatch(UUID.class, Long.class, String.class, String.class, Instant.class);
    ColumnBatch payments =
        new ColumnBatch(
            UUID.class,
            UUID.class,
            String.class,
            String.class,
            String.class,
            BigDecimal.class,
            String.class,
            Instant.class);
    NotificationLog notifications = new NotificationLog();
    for (EventEnvelope<Order.Event> envelope : envelopes) {
      OrderNotices.add(notifications, envelope);
      UUID orderId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
      StatusChange change = statusChange(envelope.event());
      if (envelope.event() instanceof Order.OrderPlaced e) {
        placed.put(orderId, new OrderRow(e));
        change = new StatusChange(Order.Status.PLACED.label(), e.at());
      } else if (change != null) {
        OrderRow row = placed.get(orderId);
        if (row != null) {
          row.status = change.status();
          row.cancelReason = change.reason() != null ? change.reason() : row.cancelReason;
          row.cancelCause = change.cause() != null ? change.cause() : row.cancelCause;
          row.updatedAt = change.at();
        } else {
          changed.merge(orderId, change, StatusChange::then);
        }
      }
      if (change != null) {
        history.add(orderId, envelope.sequenceNr(), change.status(), change.reason(), change.at());
      }
      if (envelope.event() instanceof Order.OrderShipped e) {
        OrderRow row = placed.get(orderId);
        if (row != null) {
          row.shipment = e;
        } else {
          shipped.put(orderId, e);
        }
        history.add(orderId, envelope.sequenceNr(), SHIPPED, null, e.at());
      }
      if (envelope.event() instanceof Order.CartNotified) {
        OrderRow row = placed.get(orderId);
        if (row != null) {
          row.cartNotified = true;
        } else {
          told.add(orderId);
        }
      }
      Payment payment = payment(envelope.event());
      if (payment != null) {
        payments.add(
            UUID.fromString(payment.paymentId()),
            orderId,
            payment.method(),
            payment.status().label(),
            payment.transactionId(),
            payment.amount(),
            payment.declineReason(),
            payment.at());
      }
    }
    return write(session, placed, changed, shipped, told, history, payments)
        .thenCompose(
            statuses ->
                notifications
                    .store(session)
                    .thenApply(
                        stored -> {
                          statuses.forEach(live::publish);
                          stored.forEach(n -> live.publish(new LiveEvent.NotificationStored(n)));
                          return Done.getInstance();
                        }));
  }

  /** Writes the rows; the status of every order the batch moved, as written. */
  private static CompletionStage<List<LiveEvent.OrderStatus>> write(
      R2dbcSession session,
      Map<UUID, OrderRow> placed,
      Map<UUID, StatusChange> changed,
      Map<UUID, Order.OrderShipped> shipped,
      ColumnBatch told,
      ColumnBatch history,
      ColumnBatch payments) {
    ColumnBatch orders =
        new ColumnBatch(
            UUID.class,
            UUID.class,
            UUID.class,
            String.class,
            String.class,
            BigDecimal.class,
            String.class,
            String.class,
            String.class,
            Instant.class,
            Instant.class,
            String.class,
            String.class,
            Instant.class,
            Boolean.class);
    ColumnBatch items = new ColumnBatch(UUID.class, UUID.class, Integer.class, BigDecimal.class);
    placed.forEach(
        (orderId, row) -> {
          orders.add(
              orderId,
              UUID.fromString(row.draft.userId()),
              UUID.fromString(row.draft.cartId()),
              row.draft.region(),
              row.status,
              row.total,
              row.draft.paymentMethod(),
              row.cancelReason,
              row.cancelCause,
              row.createdAt,
              row.updatedAt,
              row.shipment == null ? null : row.shipment.carrier(),
              row.shipment == null ? null : row.shipment.trackingNumber(),
              row.shipment == null ? null : row.shipment.at(),
              row.cartNotified);
          for (OrderLine line : row.draft.lines()) {
            items.add(
                orderId, UUID.fromString(line.productId()), line.quantity(), line.unitPrice());
          }
        });
    ColumnBatch updates =
        new ColumnBatch(UUID.class, String.class, String.class, String.class, Instant.class);
    changed.forEach(
        (orderId, c) -> updates.add(orderId, c.status(), c.reason(), c.cause(), c.at()));
    ColumnBatch shipments = new ColumnBatch(UUID.class, String.class, String.class, Instant.class);
    shipped.forEach(
        (orderId, e) -> shipments.add(orderId, e.carrier(), e.trackingNumber(), e.at()));

    // In foreign-key order: orders before the rows that refer to them.
    List<Statement> statements = new ArrayList<>();
    orders.appendTo(statements, session::createStatement, INSERT_ORDERS);
    items.appendTo(statements, session::createStatement, INSERT_ITEMS);
    shipments.appendTo(statements, session::createStatement, UPDATE_SHIPMENTS);
    told.appendTo(statements, session::createStatement, UPDATE_CART_NOTIFIED);
    history.appendTo(statements, session::createStatement, INSERT_HISTORY);
    payments.appendTo(statements, session::createStatement, INSERT_PAYMENTS);
    List<LiveEvent.OrderStatus> statuses = new ArrayList<>();
    placed.forEach(
        (orderId, row) ->
            statuses.add(
                new LiveEvent.OrderStatus(
                    orderId, UUID.fromString(row.draft.userId()), row.status, row.updatedAt)));
    // On the live stream a shipment is the order's last news, after its completion.
    placed.forEach(
        (orderId, row) -> {
          if (row.shipment != null) {
            statuses.add(shippedStatus(row.shipment));
          }
        });
    shipped.values().forEach(e -> statuses.add(shippedStatus(e)));
    CompletionStage<Done> inserted = Statements.updateAll(session, statements);
    if (updates.isEmpty()) {
      return inserted.thenApply(done -> statuses);
    }
    return inserted
        .thenCompose(
            done ->
                session.select(
                    updates.bindTo(session.createStatement(UPDATE_ORDERS)),
                    r ->
                        new LiveEvent.OrderStatus(
                            r.get("order_id", UUID.class),
                            r.get("user_id", UUID.class),
                            r.get("order_status", String.class),
                            r.get("updated_at", Instant.class))))
        .thenApply(
            updated -> {
              statuses.addAll(updated);
              return statuses;
            });
  }

  private static LiveEvent.OrderStatus shippedStatus(Order.OrderShipped shipped) {
    return new LiveEvent.OrderStatus(
        UUID.fromString(shipped.orderId()),
        UUID.fromString(shipped.userId()),
        SHIPPED,
        shipped.at());
  }

  /** The status an event moves its order to, or null for events that move none. */
  private static StatusChange statusChange(Order.Event event) {
    if (event instanceof Order.AllLinesReserved e) {
      return new StatusChange(Order.Status.STOCK_RESERVED.label(), e.at());
    } else if (event instanceof Order.CancellationStarted e) {
      return new StatusChange(
          Order.Status.CANCELING.label(), e.reason(), e.cause().label(), e.at());
    } else if (event instanceof Order.PaymentCharged e) {
      return new StatusChange(Order.Status.PAID.label(), e.payment().at());
    } else if (event instanceof Order.PaymentDeclined e) {
      return new StatusChange(
          Order.Status.CANCELING.label(),
          "payment declined: " + e.payment().declineReason(),
          Order.CancelCause.PAYMENT_DECLINED.label(),
          e.payment().at());
    } else if (event instanceof Order.OrderCompleted e) {
      return new StatusChange(Order.Status.COMPLETED.label(), e.at());
    } else if (event instanceof Order.OrderCanceled e) {
      return new StatusChange(Order.Status.CANCELED.label(), e.reason(), null, e.at());
    }
    return null;
  }

  private static Payment payment(Order.Event event) {
    if (event instanceof Order.PaymentCharged e) {
      return e.payment();
    } else if (event instanceof Order.PaymentDeclined e) {
      return e.payment();
    }
    return null;
  }
}
