package storefront.tools.benchmark;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * What PostgreSQL counts of the work done in it: transactions and rows (pg_stat_database) and calls
 * per statement (pg_stat_statements), read through the shop's own R2DBC client.
 */
final class PostgresStats {

  /** Cumulative counters of the shop's database. */
  record Counters(long transactions, long inserted, long updated, long deleted) {
    Counters minus(Counters before) {
      return new Counters(
          transactions - before.transactions,
          inserted - before.inserted,
          updated - before.updated,
          deleted - before.deleted);
    }
  }

  /** One normalized statement: how often it ran, the rows it touched, its mean time. */
  record Statement(long calls, long rows, double meanMs, String query) {}

  private final ActorSystem<?> system;

  PostgresStats(ActorSystem<?> system) {
    this.system = system;
  }

  Counters counters() {
    return run(session ->
            session.selectOne(
                session.createStatement(
                    "SELECT xact_commit + xact_rollback, tup_inserted, tup_updated,"
                        + " tup_deleted FROM pg_stat_database"
                        + " WHERE datname = current_database()"),
                row ->
                    new Counters(
                        row.get(0, Long.class),
                        row.get(1, Long.class),
                        row.get(2, Long.class),
                        row.get(3, Long.class))))
        .orElseThrow();
  }

  /**
   * Makes pg_stat_statements readable (the embedded server preloads its library).
   *
   * @return false, with the reason printed, when the server cannot
   */
  boolean enableStatements() {
    try {
      execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
      return true;
    } catch (RuntimeException e) {
      System.out.println("pg_stat_statements not available, no statement profile: " + e);
      return false;
    }
  }

  void resetStatements() {
    run(
        session ->
            session.select(
                session.createStatement("SELECT pg_stat_statements_reset()"), row -> row));
  }

  /** The statements of this database run most often since the last reset. */
  List<Statement> topStatementsByCalls(int count) {
    return run(
        session ->
            session.select(
                session
                    .createStatement(
                        "SELECT calls, rows, mean_exec_time, query FROM pg_stat_statements"
                            + " WHERE dbid = (SELECT oid FROM pg_database"
                            + " WHERE datname = current_database())"
                            + " ORDER BY calls DESC LIMIT $1")
                    .bind(0, count),
                row ->
                    new Statement(
                        row.get(0, Long.class),
                        row.get(1, Long.class),
                        row.get(2, Double.class),
                        row.get(3, String.class).replaceAll("\\s+", " ").strip())));
  }

  /** A statement that returns no rows, such as DDL. */
  void execute(String sql) {
    run(session -> session.select(session.createStatement(sql), row -> row));
  }

  /** A setting of the R2DBC connection, e.g. "user" or "database". */
  String connectionSetting(String name) {
    return system
        .settings()
        .config()
        .getString("akka.persistence.r2dbc.connection-factory." + name);
  }

  private <T> T run(Function<R2dbcSession, CompletionStage<T>> work) {
    try {
      return R2dbcSession.withSession(system, work::apply)
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while querying the database", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("database query failed: " + e.getMessage(), e);
    }
  }
}
