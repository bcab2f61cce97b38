package storefront;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.fasterxml.jackson.databind.JsonNode;
import io.r2dbc.spi.Row;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Test helpers for the read side: wait until it has caught up, and query its tables. */
public final class ReadSide {
  private ReadSide() {}

  /** Waits until no projection has journal events left to process, seen twice in a row. */
  public static void awaitCaughtUp(Api api) {
    long deadline = System.currentTimeMillis() + 60_000;
    int quietChecks = 0;
    while (quietChecks < 2) {
      assertTrue(System.currentTimeMillis() < deadline, "the read side catches up in 60 s");
      JsonNode projections = api.asOperator().get("/projections").body();
      boolean caughtUp = true;
      for (JsonNode instance : projections) {
        caughtUp &= instance.path("waitingEvents").asLong() == 0;
      }
      quietChecks = caughtUp ? quietChecks + 1 : 0;
      Shopper.sleep(300);
    }
  }

  static <T> List<T> query(
      ActorSystem<?> system, String sql, Object parameter, Function<Row, T> mapper) {
    return R2dbcSession.withSession(
            system,
            session -> {
              var statement = session.createStatement(sql);
              if (parameter != null) {
                statement.bind(0, parameter instanceof String s ? UUID.fromString(s) : parameter);
              }
              return session.select(statement, mapper::apply);
            })
        .toCompletableFuture()
        .join();
  }

  public static long count(ActorSystem<?> system, String sql) {
    return query(system, sql, null, row -> row.get(0, Long.class)).get(0);
  }
}
