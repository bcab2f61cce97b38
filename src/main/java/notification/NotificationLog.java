package notification;

import akka.projection.r2dbc.javadsl.R2dbcSession;
import common.ColumnBatch;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Writes notifications in a read-side handler's transaction. Subjects and bodies may name the
 * product as {product}, filled in from the catalog; an order's notification goes to its user's
 * e-mail address. A notification whose id is stored already is skipped, and only those inserted now
 * are returned, for the live stream: a batch a projection runs again stores and publishes nothing
 * twice (unless its first run rolled back, when nothing of it was stored).
 */
public final class NotificationLog {
  private static final String INSERT =
      "INSERT INTO notifications (notification_id, kind, product_id, order_id, user_id,"
          + " recipient, subject, body, created_at)"
          + " SELECT n.id, n.kind, n.product_id, n.order_id, o.user_id, u.email,"
          + " replace(n.subject, '{product}', COALESCE(p.name, n.product_id::text, '')),"
          + " replace(replace(n.body, '{product}', COALESCE(p.name, n.product_id::text, '')),"
          + " '{total}', COALESCE(o.total_amount::text, '')), n.at"
          + " FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],"
          + " $7::timestamptz[])"
          + " AS n(id, kind, product_id, order_id, subject, body, at)"
          + " LEFT JOIN products p ON p.product_id = n.product_id"
          + " LEFT JOIN orders o ON o.order_id = n.order_id"
          + " LEFT JOIN users u ON u.user_id = o.user_id"
          + " ON CONFLICT (notification_id) DO NOTHING"
          + " RETURNING "
          + NotificationRows.COLUMNS;

  private final ColumnBatch rows =
      new ColumnBatch(
          UUID.class,
          String.class,
          UUID.class,
          UUID.class,
          String.class,
          String.class,
          Instant.class);

  /** A notification about a product, for operators. */
  public void aboutProduct(
      UUID id, String kind, UUID productId, String subject, String body, Instant at) {
    rows.add(id, kind, productId, null, subject, body, at);
  }

  /**
   * A notification about an order, to its user (from the orders table, which the order read side
   * writes in the same transaction first). The body may name the order's total as {total}.
   */
  public void aboutOrder(
      UUID id, String kind, UUID orderId, String subject, String body, Instant at) {
    rows.add(id, kind, null, orderId, subject, body, at);
  }

  /** Stores what was added in the session's transaction; the notifications new to the table. */
  public CompletionStage<List<Notification>> store(R2dbcSession session) {
    if (rows.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    return session.select(rows.bindTo(session.createStatement(INSERT)), NotificationRows::read);
  }
}
