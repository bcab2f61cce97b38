package order;

import akka.actor.typed.ActorSystem;
import catalog.Page;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A user's orders, newest first, from the read side (the orders table), a page at a time like the
 * other listings of the shop (catalog.Page).
 */
public final class UserOrders {
  /** The most orders one listing returns. */
  public static final int LIMIT = 100;

  private final ActorSystem<?> system;

  /** One order in a user's listing. */
  public record OrderSummary(
      String orderId,
      String cartId,
      String region,
      String status,
      BigDecimal total,
      String paymentMethod,
      String cancelReason,
      String cancelCause,
      Instant placedAt,
      Instant updatedAt) {}

  public UserOrders(ActorSystem<?> system) {
    this.system = system;
  }

  /** The user's newest orders, at most {@link #LIMIT}. */
  public CompletionStage<List<OrderSummary>> of(UUID userId) {
    return page(userId, 0, LIMIT).thenApply(Page::items);
  }

  /** A page of the user's orders, newest first: pages from 0, of 1 to {@link #LIMIT} orders. */
  public CompletionStage<Page<OrderSummary>> page(UUID userId, int page, int size) {
    if (page < 0 || size < 1 || size > LIMIT) {
      throw new IllegalArgumentException("page " + page + " of size " + size);
    }
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            Page.read(
                session,
                session
                    .createStatement("SELECT count(*) AS total FROM orders WHERE user_id = $1")
                    .bind(0, userId),
                session
                    .createStatement(
                        "SELECT order_id, cart_id, region, order_status, total_amount,"
                            + " payment_method, cancel_reason, cancel_cause, created_at, updated_at"
                            + " FROM orders WHERE user_id = $1 ORDER BY created_at DESC, order_id"
                            + " LIMIT $2 OFFSET $3")
                    .bind(0, userId)
                    .bind(1, size)
                    .bind(2, (long) page * size),
                UserOrders::summary,
                page,
                size));
  }

  private static OrderSummary summary(Row row) {
    return new OrderSummary(
        row.get("order_id", UUID.class).toString(),
        row.get("cart_id", UUID.class).toString(),
        row.get("region", String.class),
        row.get("order_status", String.class),
        row.get("total_amount", BigDecimal.class),
        row.get("payment_method", String.class),
        row.get("cancel_reason", String.class),
        row.get("cancel_cause", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
