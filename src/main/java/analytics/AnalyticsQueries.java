package analytics;

import static common.Statements.bindNullable;

import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reads the analytics views of ddl-scripts/07_analytics_views.sql on the operators' pool, whose
 * statement timeout cancels a query that runs too long. Every listing is read a page at a time.
 */
public final class AnalyticsQueries {
  private final ActorSystem<?> system;

  public AnalyticsQueries(ActorSystem<?> system) {
    this.system = system;
  }

  public record LargeAdds(long times, long units, Instant first, Instant last) {}

  public record CartPresence(String productId, long carts, long activeCarts) {}

  public record Popularity(
      String productId,
      String name,
      String category,
      long unitsSold,
      long orders,
      BigDecimal revenue,
      long timesAddedToCarts) {}

  public record AbandonedCart(
      String cartId,
      String userId,
      String region,
      Instant lastActivity,
      long idleSeconds,
      long lines,
      long units,
      BigDecimal cartValue) {}

  public record RegionHour(
      String region, Instant hour, long orders, long units, BigDecimal revenue) {}

  public record Funnel(
      long cartsCreated,
      long cartsWithItems,
      long checkedOut,
      long completed,
      long givenUp,
      long orderFailed) {}

  public record StockLevel(
      String productId, String name, long available, long reserved, long sold, long warehouses) {}

  /** Adds of more than 2 units of one product, optionally of one product and in a time range. */
  public CompletionStage<LargeAdds> largeAdds(
      Optional<UUID> productId, Optional<Instant> from, Optional<Instant> to) {
    return one(
        "SELECT count(*) AS times, COALESCE(sum(units_added), 0) AS units, min(event_time) AS"
            + " first, max(event_time) AS last FROM large_cart_adds"
            + " WHERE ($1::uuid IS NULL OR product_id = $1)"
            + " AND ($2::timestamptz IS NULL OR event_time >= $2)"
            + " AND ($3::timestamptz IS NULL OR event_time < $3)",
        statement -> {
          bindNullable(statement, 0, productId.orElse(null), UUID.class);
          bindNullable(
              statement, 1, from.map(AnalyticsQueries::utc).orElse(null), OffsetDateTime.class);
          bindNullable(
              statement, 2, to.map(AnalyticsQueries::utc).orElse(null), OffsetDateTime.class);
          return statement;
        },
        row ->
            new LargeAdds(
                longOf(row, "times"),
                longOf(row, "units"),
                instantOf(row, "first"),
                instantOf(row, "last")));
  }

  public CompletionStage<CartPresence> cartsContaining(UUID productId) {
    return one(
        "SELECT count(*) AS carts, count(*) FILTER (WHERE c.status = 'active') AS active_carts"
            + " FROM cart_items ci JOIN carts c ON c.cart_id = ci.cart_id WHERE ci.product_id = $1",
        statement -> statement.bind(0, productId),
        row ->
            new CartPresence(
                productId.toString(), longOf(row, "carts"), longOf(row, "active_carts")));
  }

  /** Products by units sold, then times added to carts; a page of them from this offset. */
  public CompletionStage<ResultPage<Popularity>> popularity(int limit, int offset) {
    return page(
        "SELECT * FROM product_popularity ORDER BY units_sold DESC, times_added_to_carts DESC,"
            + " name, product_id LIMIT $1 OFFSET $2",
        statement -> statement.bind(1, offset),
        limit,
        last -> Cursor.offset(offset + limit),
        row ->
            new Popularity(
                row.get("product_id", UUID.class).toString(),
                row.get("name", String.class),
                row.get("category", String.class),
                longOf(row, "units_sold"),
                longOf(row, "orders"),
                row.get("revenue", BigDecimal.class),
                longOf(row, "times_added_to_carts")));
  }

  /** Carts idle longer than this, longest idle first, after the cursor's cart. */
  public CompletionStage<ResultPage<AbandonedCart>> abandonedCarts(
      int idleMinutes, int limit, Optional<Cursor.Key> after) {
    Cursor.Key from = after.orElse(new Cursor.Key(Instant.EPOCH, new UUID(0, 0).toString()));
    return page(
        "SELECT cart_id, user_id, region, last_activity, EXTRACT(EPOCH FROM idle_for)::bigint AS"
            + " idle_seconds, lines, units, cart_value FROM abandoned_carts"
            + " WHERE idle_for > $2 * interval '1 minute'"
            + " AND (last_activity, cart_id) > ($3, $4::uuid)"
            + " ORDER BY last_activity, cart_id LIMIT $1",
        statement ->
            statement
                .bind(1, idleMinutes)
                .bind(2, utc(from.at()))
                .bind(3, UUID.fromString(from.id())),
        limit,
        cart -> Cursor.key(cart.lastActivity(), cart.cartId()),
        row ->
            new AbandonedCart(
                row.get("cart_id", UUID.class).toString(),
                row.get("user_id", UUID.class).toString(),
                row.get("region", String.class),
                instantOf(row, "last_activity"),
                longOf(row, "idle_seconds"),
                longOf(row, "lines"),
                longOf(row, "units"),
                row.get("cart_value", BigDecimal.class)));
  }

  /** Completed sales per region and hour over the last hours, newest hour first. */
  public CompletionStage<ResultPage<RegionHour>> salesByRegionHour(
      int hours, int limit, Optional<Cursor.Key> after) {
    return page(
        "SELECT region, hour, orders, units, revenue FROM sales_by_region_hour"
            + " WHERE hour >= date_trunc('hour', now()) - $2 * interval '1 hour'"
            + " AND ($3::timestamptz IS NULL OR hour < $3 OR (hour = $3 AND region > $4))"
            + " ORDER BY hour DESC, region LIMIT $1",
        statement -> {
          statement.bind(1, hours);
          bindNullable(
              statement, 2, after.map(key -> utc(key.at())).orElse(null), OffsetDateTime.class);
          return bindNullable(statement, 3, after.map(Cursor.Key::id).orElse(null), String.class);
        },
        limit,
        sales -> Cursor.key(sales.hour(), sales.region()),
        row ->
            new RegionHour(
                row.get("region", String.class),
                instantOf(row, "hour"),
                longOf(row, "orders"),
                longOf(row, "units"),
                row.get("revenue", BigDecimal.class)));
  }

  public CompletionStage<Funnel> funnel() {
    return one(
        "SELECT * FROM cart_funnel",
        statement -> statement,
        row ->
            new Funnel(
                longOf(row, "carts_created"),
                longOf(row, "carts_with_items"),
                longOf(row, "checked_out"),
                longOf(row, "completed"),
                longOf(row, "given_up"),
                longOf(row, "order_failed")));
  }

  /** Products with fewer units available than the threshold, fewest first, from this offset. */
  public CompletionStage<ResultPage<StockLevel>> lowStock(int threshold, int limit, int offset) {
    return page(
        "SELECT product_id, name, available, reserved, sold, warehouses FROM product_stock_levels"
            + " WHERE available < $3 ORDER BY available, name, product_id LIMIT $1 OFFSET $2",
        statement -> statement.bind(1, offset).bind(2, threshold),
        limit,
        last -> Cursor.offset(offset + limit),
        row ->
            new StockLevel(
                row.get("product_id", UUID.class).toString(),
                row.get("name", String.class),
                longOf(row, "available"),
                longOf(row, "reserved"),
                longOf(row, "sold"),
                longOf(row, "warehouses")));
  }

  private <T> CompletionStage<T> one(
      String sql, Function<Statement, Statement> bind, Function<Row, T> mapper) {
    return DatabasePool.OPERATOR_QUERIES.withSession(
        system,
        session ->
            session
                .selectOne(bind.apply(session.createStatement(sql)), mapper::apply)
                .thenApply(Optional::orElseThrow));
  }

  /**
   * A page of a listing: the query's $1 is the limit. One row more than the limit is read to know
   * whether another page follows; its cursor comes from the page's last row.
   */
  private <T> CompletionStage<ResultPage<T>> page(
      String sql,
      Function<Statement, Statement> bind,
      int limit,
      Function<T, String> cursorAfter,
      Function<Row, T> mapper) {
    return DatabasePool.OPERATOR_QUERIES
        .withSession(
            system,
            session ->
                session.select(
                    bind.apply(session.createStatement(sql).bind(0, limit + 1)), mapper::apply))
        .thenApply(
            rows ->
                rows.size() <= limit
                    ? new ResultPage<>(rows, null)
                    : new ResultPage<>(
                        List.copyOf(rows.subList(0, limit)),
                        cursorAfter.apply(rows.get(limit - 1))));
  }

  private static long longOf(Row row, String column) {
    Number value = row.get(column, Number.class);
    return value == null ? 0 : value.longValue();
  }

  private static Instant instantOf(Row row, String column) {
    OffsetDateTime value = row.get(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
