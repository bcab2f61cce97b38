package notification;

import akka.actor.typed.ActorSystem;
import catalog.Page;
import common.DatabasePool;
import io.r2dbc.spi.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/** Reads the notifications table: pages newest first, and everything since a time for a resume. */
public final class NotificationQueries {
  /** A resume replays at most this many; a client further behind starts from the newest. */
  public static final int MAX_REPLAY = 1_000;

  private final ActorSystem<?> system;

  public NotificationQueries(ActorSystem<?> system) {
    this.system = system;
  }

  /** A page, newest first, of those matching every filter given. */
  public CompletionStage<Page<Notification>> page(
      Optional<String> kind, Optional<UUID> productId, Optional<UUID> userId, int page, int size) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    kind.ifPresent(k -> condition(conditions, values, "kind", k));
    productId.ifPresent(p -> condition(conditions, values, "product_id", p));
    userId.ifPresent(u -> condition(conditions, values, "user_id", u));
    String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session -> {
          Statement count =
              bound(
                  session.createStatement("SELECT count(*) AS total FROM notifications" + where),
                  values);
          Statement select =
              bound(
                  session.createStatement(
                      "SELECT "
                          + NotificationRows.COLUMNS
                          + " FROM notifications"
                          + where
                          + " ORDER BY created_at DESC, notification_id LIMIT "
                          + size
                          + " OFFSET "
                          + (long) page * size),
                  values);
          return Page.read(session, count, select, NotificationRows::read, page, size);
        });
  }

  /** Those about these products created at or after the time, oldest first. */
  public CompletionStage<List<Notification>> forProductsSince(Set<UUID> productIds, Instant from) {
    return since("product_id = ANY($2::uuid[])", productIds.toArray(UUID[]::new), from);
  }

  /** Those to this user created at or after the time, oldest first. */
  public CompletionStage<List<Notification>> forUserSince(UUID userId, Instant from) {
    return since("user_id = $2", userId, from);
  }

  /** Those about this order created at or after the time, oldest first. */
  public CompletionStage<List<Notification>> forOrderSince(UUID orderId, Instant from) {
    return since("order_id = $2", orderId, from);
  }

  /** Every one created at or after the time, oldest first. */
  public CompletionStage<List<Notification>> allSince(Instant from) {
    return since(null, null, from);
  }

  /** The newest MAX_REPLAY since the time, oldest first; the condition binds its value as $2. */
  private CompletionStage<List<Notification>> since(String condition, Object value, Instant from) {
    String sql =
        "SELECT * FROM (SELECT "
            + NotificationRows.COLUMNS
            + " FROM notifications WHERE created_at >= $1"
            + (condition == null ? "" : " AND " + condition)
            + " ORDER BY created_at DESC, notification_id LIMIT "
            + MAX_REPLAY
            + ") newest ORDER BY created_at, notification_id";
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session -> {
          Statement statement = session.createStatement(sql).bind(0, from);
          if (condition != null) {
            statement.bind(1, value);
          }
          return session.select(statement, NotificationRows::read);
        });
  }

  private static void condition(
      List<String> conditions, List<Object> values, String column, Object value) {
    values.add(value);
    conditions.add(column + " = $" + values.size());
  }

  private static Statement bound(Statement statement, List<Object> values) {
    for (int i = 0; i < values.size(); i++) {
      statement.bind(i, values.get(i));
    }
    return statement;
  }
}
