package common;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.r2dbc.spi.R2dbcException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's database connection pools, one per kind of work, each a connection-factory block in
 * persistence.conf (sizes and the reasons for them are there). SQL that a request can start never
 * takes a connection from the journal's pool, so slow or numerous queries cannot stop checkouts;
 * the query pools cancel a statement that runs longer than their statement timeout.
 */
public enum DatabasePool {
  /** Entities' journal and snapshots, the payment ledger an order step writes, start-up. */
  JOURNAL("akka.persistence.r2dbc.connection-factory"),
  /** The read side: the projections' event reads, rows and offsets; stalled-process sweeps. */
  PROJECTIONS("storefront.r2dbc.projections.connection-factory"),
  /** What shoppers' requests read and write in SQL: catalog, users, sign-in, a user's orders. */
  SHOP_QUERIES("storefront.r2dbc.shop-queries"),
  /** Operators' reads over whole tables: analytics, projection status. */
  OPERATOR_QUERIES("storefront.r2dbc.operator-queries");

  /**
   * The read journal the projections read events through: the plugin's settings with the {@link
   * #PROJECTIONS} pool as its connection factory.
   */
  public static final String PROJECTION_EVENTS = "storefront.r2dbc.projections.query";

  /** PostgreSQL's query_canceled: a statement timeout, or a cancel request. */
  private static final String QUERY_CANCELED = "57014";

  /** serialization_failure and deadlock_detected: the transaction was rolled back, none kept. */
  private static final Set<String> CONFLICT_STATES = Set.of("40001", "40P01");

  /** Tries of a transaction rolled back for conflicts: pauses of up to 20+40+...+320 ms. */
  static final int CONFLICT_ATTEMPTS = 6;

  private static final Logger log = LoggerFactory.getLogger(DatabasePool.class);

  private final String path;

  DatabasePool(String path) {
    this.path = path;
  }

  /** The connection-factory block's configuration path. */
  public String path() {
    return path;
  }

  /**
   * Runs the work in a transaction on a connection of this pool. A transaction the database rolled
   * back to resolve a conflict (SQLSTATE 40001 or 40P01: CockroachDB reports every serialization
   * conflict so, and PostgreSQL a deadlock) runs again after a short random pause, up to {@link
   * #CONFLICT_ATTEMPTS} times: nothing of it was kept, so the work may start over. A statement the
   * database canceled (it ran past the pool's statement timeout) fails the stage with an
   * UNAVAILABLE rejection that says so: nothing was changed, and the same query may pass when the
   * database is less busy.
   */
  public <T> CompletionStage<T> withSession(
      ActorSystem<?> system, Function<R2dbcSession, CompletionStage<T>> work) {
    return retriedOnConflict(system, work, 1)
        .handle(
            (value, error) -> {
              if (error == null) {
                return value;
              }
              Throwable cause = Failures.unwrapped(error);
              if (cause instanceof R2dbcException database
                  && QUERY_CANCELED.equals(database.getSqlState())) {
                log.warn("Query canceled on the {} pool: {}", name(), cause.getMessage());
                throw Rejection.unavailable(canceled(system)).asException();
              }
              throw error instanceof CompletionException completion
                  ? completion
                  : new CompletionException(error);
            });
  }

  private <T> CompletionStage<T> retriedOnConflict(
      ActorSystem<?> system, Function<R2dbcSession, CompletionStage<T>> work, int attempt) {
    return R2dbcSession.withSession(system, path, work::apply)
        .handle(
            (value, error) -> {
              if (error == null) {
                return CompletableFuture.completedFuture(value);
              }
              if (attempt == CONFLICT_ATTEMPTS || !rolledBackForConflict(error)) {
                return CompletableFuture.<T>failedFuture(error);
              }
              Duration pause = conflictPause(attempt);
              log.debug(
                  "Transaction on the {} pool rolled back for a conflict (attempt {}), again in {}",
                  name(),
                  attempt,
                  pause);
              return Patterns.after(
                  pause, system, () -> retriedOnConflict(system, work, attempt + 1));
            })
        .thenCompose(Function.identity());
  }

  /**
   * Whether the database rolled the whole transaction back to resolve a conflict. A lost connection
   * has no SQLSTATE (and Set.of refuses to look up null).
   */
  public static boolean rolledBackForConflict(Throwable error) {
    return Failures.unwrapped(error) instanceof R2dbcException database
        && database.getSqlState() != null
        && CONFLICT_STATES.contains(database.getSqlState());
  }

  /** Doubling from 20 ms, each drawn at random from half to all of it, so rivals part ways. */
  private static Duration conflictPause(int attempt) {
    long ceiling = 20L << (attempt - 1);
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
  }

  private String canceled(ActorSystem<?> system) {
    String timeout = system.settings().config().getString(path + ".statement-timeout");
    return "off".equals(timeout)
        ? "the database canceled the query; nothing was changed: try again later"
        : "the query ran longer than "
            + timeout
            + " and the database canceled it; nothing was changed: narrow the query or try"
            + " again later";
  }

  /**
   * Points every pool at this server. The pools copy the journal's block when the configuration is
   * resolved; a server known only later (the embedded one) must be set in each.
   */
  public static Config server(String host, int port) {
    StringBuilder config = new StringBuilder();
    for (DatabasePool pool : values()) {
      config
          .append(pool.path)
          .append(" { host = \"")
          .append(host)
          .append("\", port = ")
          .append(port)
          .append(" }\n");
    }
    return ConfigFactory.parseString(config.toString());
  }
}
