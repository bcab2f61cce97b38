package order;

import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** A user's orders, newest first, from the read side (the orders table). */
public final class UserOrders {
  /** The most orders one listing returns. */
  static final int LIMIT = 100;

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
      Instant placedAt,
      Instant updatedAt) {}

  public UserOrders(ActorSystem<?> system) {
    this.system = system;
  }

  public CompletionStage<List<OrderSummary>> of(UUID userId) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.select(
                session
                    .createStatement(
                        "SELECT order_id, cart_id, region, order_status, total_amount,"
                            + " payment_method, cancel_reason, created_at, updated_at FROM orders"
                            + " WHERE user_id = $1 ORDER BY created_at DESC LIMIT $2")
                    .bind(0, userId)
                    .bind(1, LIMIT),
                UserOrders::summary));
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
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }
}
