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

/** Reads the analytics views of ddl-scripts/07_analytics_views.sql. */
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

  public CompletionStage<List<Popularity>> popularity(int limit) {
    return list(
        "SELECT * FROM product_popularity ORDER BY units_sold DESC, times_added_to_carts DESC,"
            + " name LIMIT $1",
        statement -> statement.bind(0, limit),
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

  public CompletionStage<List<AbandonedCart>> abandonedCarts(int idleMinutes, int limit) {
    return list(
        "SELECT cart_id, user_id, region, last_activity, EXTRACT(EPOCH FROM idle_for)::bigint AS"
            + " idle_seconds, lines, units, cart_value FROM abandoned_carts"
            + " WHERE idle_for > make_interval(mins => $1) ORDER BY last_activity LIMIT $2",
        statement -> statement.bind(0, idleMinutes).bind(1, limit),
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

  public CompletionStage<List<RegionHour>> salesByRegionHour(int hours) {
    return list(
        "SELECT region, hour, orders, units, revenue FROM sales_by_region_hour"
            + " WHERE hour >= date_trunc('hour', now()) - make_interval(hours => $1)"
            + " ORDER BY hour DESC, region",
        statement -> statement.bind(0, hours),
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

  public CompletionStage<List<StockLevel>> lowStock(int threshold) {
    return list(
        "SELECT product_id, name, available, reserved, sold, warehouses FROM product_stock_levels"
            + " WHERE available < $1 ORDER BY available, name",
        statement -> statement.bind(0, threshold),
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

  private <T> CompletionStage<List<T>> list(
      String sql, Function<Statement, Statement> bind, Function<Row, T> mapper) {
    return DatabasePool.OPERATOR_QUERIES.withSession(
        system, session -> session.select(bind.apply(session.createStatement(sql)), mapper::apply));
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
