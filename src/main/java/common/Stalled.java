package common;

import akka.actor.typed.ActorSystem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A process (an order, a checkout) that has not moved since {@code updatedAt}, as the read side
 * shows it. Pages of them are read in (updatedAt, id) order after a cursor, so that a sweep moves
 * on past those that never progress instead of reading the same oldest ones every time.
 */
public record Stalled(UUID id, Instant updatedAt) {
  /** The cursor before the first. */
  public static final Stalled START = new Stalled(new UUID(0, 0), Instant.EPOCH);

  /**
   * Runs a page query: its parameters are $1 the idle time in seconds, $2 and $3 the cursor's
   * updatedAt and id, $4 the page size; it selects {@code id} and {@code updated_at}.
   */
  public static CompletionStage<List<Stalled>> page(
      ActorSystem<?> system, String sql, Duration idle, Stalled after, int limit) {
    return DatabasePool.PROJECTIONS.withSession(
        system,
        session ->
            session.select(
                session
                    .createStatement(sql)
                    .bind(0, (double) idle.toMillis() / 1000)
                    .bind(1, after.updatedAt())
                    .bind(2, after.id())
                    .bind(3, limit),
                row ->
                    new Stalled(row.get("id", UUID.class), row.get("updated_at", Instant.class))));
  }
}
