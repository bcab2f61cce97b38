package order;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import catalog.Page;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * A user's orders, newest first, from the read side (the orders table), a page at a time like the
 * other listings of the shop (catalog.Page).
 */
public final class UserOrders {
  /** The most orders one listing returns. */
  public static final int LIMIT = 100;

  private static final String IS_COMPLETED = "order_status = " + Order.Status.COMPLETED.sql();

  /** The orders columns {@link #shipment(Row)} reads. */
  private static final String SHIPMENT_COLUMNS = "carrier, tracking_number, shipped_at";

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
      Shipment shipment,
      Instant placedAt,
      Instant updatedAt) {}

  /**
   * A completed order in the user's purchase history, with what was bought and its shipment (null
   * until the carrier assigned a tracking number).
   */
  public record Purchase(
      String orderId,
      String paymentMethod,
      BigDecimal total,
      int units,
      Instant placedAt,
      Instant completedAt,
      Shipment shipment,
      List<PurchasedItem> items) {}

  /** One line of a purchase: the product (its name now, if it still exists) and what it cost. */
  public record PurchasedItem(
      String productId, String name, int quantity, BigDecimal price, BigDecimal lineTotal) {}

  public UserOrders(ActorSystem<?> system) {
    this.system = system;
  }

  /** The user's newest orders, at most {@link #LIMIT}. */
  public CompletionStage<List<OrderSummary>> of(UUID userId) {
    return page(userId, 0, LIMIT).thenApply(Page::items);
  }

  /** A page of the user's orders, newest first: pages from 0, of 1 to {@link #LIMIT} orders. */
  public CompletionStage<Page<OrderSummary>> page(UUID userId, int page, int size) {
    requirePage(page, size);
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
                            + " payment_method, cancel_reason, cancel_cause, created_at, updated_at,"
                            + " "
                            + SHIPMENT_COLUMNS
                            + " FROM orders WHERE user_id = $1 ORDER BY created_at DESC, order_id"
                            + " LIMIT $2 OFFSET $3")
                    .bind(0, userId)
                    .bind(1, size)
                    .bind(2, (long) page * size),
                UserOrders::summary,
                page,
                size));
  }

  /**
   * A page of the user's completed orders, newest first, each with its lines: the order rows, then
   * the lines of just those orders, in one session.
   */
  public CompletionStage<Page<Purchase>> purchases(UUID userId, int page, int size) {
    requirePage(page, size);
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            completedOrders(session, userId, page, size)
                .thenCompose(
                    orders ->
                        linesOf(session, orders.items())
                            .thenApply(lines -> withItems(orders, lines))));
  }

  private static void requirePage(int page, int size) {
    if (page < 0 || size < 1 || size > LIMIT) {
      throw new IllegalArgumentException("page " + page + " of size " + size);
    }
  }

  private static CompletionStage<Page<CompletedOrder>> completedOrders(
      R2dbcSession session, UUID userId, int page, int size) {
    return Page.read(
        session,
        session
            .createStatement(
                "SELECT count(*) AS total FROM orders WHERE user_id = $1 AND " + IS_COMPLETED)
            .bind(0, userId),
        session
            .createStatement(
                "SELECT order_id, payment_method, total_amount, created_at, updated_at, "
                    + SHIPMENT_COLUMNS
                    + " FROM orders WHERE user_id = $1 AND "
                    + IS_COMPLETED
                    + " ORDER BY created_at DESC, order_id LIMIT $2 OFFSET $3")
            .bind(0, userId)
            .bind(1, size)
            .bind(2, (long) page * size),
        row ->
            new CompletedOrder(
                row.get("order_id", UUID.class),
                row.get("payment_method", String.class),
                row.get("total_amount", BigDecimal.class),
                row.get("created_at", OffsetDateTime.class).toInstant(),
                row.get("updated_at", OffsetDateTime.class).toInstant(),
                shipment(row)),
        page,
        size);
  }

  /** The lines of these orders, each with the id of its order. */
  private static CompletionStage<List<Map.Entry<UUID, PurchasedItem>>> linesOf(
      R2dbcSession session, List<CompletedOrder> orders) {
    return session.select(
        session
            .createStatement(
                "SELECT i.order_id, i.product_id, p.name, i.quantity, i.price FROM order_items i"
                    + " LEFT JOIN products p ON p.product_id = i.product_id"
                    + " WHERE i.order_id = ANY($1) ORDER BY i.order_id, i.product_id")
            .bind(0, orders.stream().map(CompletedOrder::orderId).toArray(UUID[]::new)),
        row -> {
          int quantity = row.get("quantity", Integer.class);
          BigDecimal price = row.get("price", BigDecimal.class);
          return Map.entry(
              row.get("order_id", UUID.class),
              new PurchasedItem(
                  row.get("product_id", UUID.class).toString(),
                  row.get("name", String.class),
                  quantity,
                  price,
                  price.multiply(BigDecimal.valueOf(quantity))));
        });
  }

  /** A completed order's row, read before its lines. */
  private record CompletedOrder(
      UUID orderId,
      String paymentMethod,
      BigDecimal total,
      Instant placedAt,
      Instant completedAt,
      Shipment shipment) {}

  private static Page<Purchase> withItems(
      Page<CompletedOrder> orders, List<Map.Entry<UUID, PurchasedItem>> lines) {
    Map<UUID, List<PurchasedItem>> itemsByOrder =
        lines.stream()
            .collect(
                Collectors.groupingBy(
                    Map.Entry::getKey,
                    Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
    List<Purchase> purchases =
        orders.items().stream()
            .map(
                order -> {
                  List<PurchasedItem> items = itemsByOrder.getOrDefault(order.orderId(), List.of());
                  return new Purchase(
                      order.orderId().toString(),
                      order.paymentMethod(),
                      order.total(),
                      items.stream().mapToInt(PurchasedItem::quantity).sum(),
                      order.placedAt(),
                      order.completedAt(),
                      order.shipment(),
                      items);
                })
            .toList();
    return new Page<>(purchases, orders.page(), orders.size(), orders.total());
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
        shipment(row),
        row.get("created_at", OffsetDateTime.class).toInstant(),
        row.get("updated_at", OffsetDateTime.class).toInstant());
  }

  /** The order's shipment, or null while it has none. */
  private static Shipment shipment(Row row) {
    String trackingNumber = row.get("tracking_number", String.class);
    return trackingNumber == null
        ? null
        : new Shipment(
            row.get("carrier", String.class),
            trackingNumber,
            row.get("shipped_at", OffsetDateTime.class).toInstant());
  }
}
