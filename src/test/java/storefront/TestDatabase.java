package storefront;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import storefront.node.EmbeddedDatabase;
import storefront.node.NodeConfig;
import storefront.node.Schema;
import storefront.tools.Directories;

/**
 * One real embedded PostgreSQL for the whole test JVM, started on a free port with a fresh data
 * directory under target/, and stopped when the JVM exits.
 */
public final class TestDatabase {
  private static EmbeddedDatabase database;

  private TestDatabase() {}

  public static synchronized int port() {
    if (database == null) {
      Path dataDirectory = Path.of("target", "test-postgres");
      Directories.deleteRecursively(dataDirectory);
      database = EmbeddedDatabase.start(dataDirectory, freePort());
      Runtime.getRuntime().addShutdownHook(new Thread(database::close, "stop-test-database"));
    }
    return database.port();
  }

  /**
   * An actor system of its own (no cluster) on this database, with the schema applied: for tests of
   * SQL, the read side and the ledger.
   */
  public static ActorTestKit actorTestKit(String name) {
    return actorTestKit(name, "");
  }

  /** The same, with HOCON that overrides the defaults (seen by their ${...} substitutions). */
  public static ActorTestKit actorTestKit(String name, String extra) {
    ActorTestKit testKit =
        ActorTestKit.create(
            name,
            NodeConfig.load(
                ConfigFactory.parseString(
                    extra
                        + "\nakka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off\n"
                        + "akka.persistence.r2dbc.connection-factory.port = "
                        + port())));
    Schema.apply(testKit.system()).toCompletableFuture().join();
    return testKit;
  }

  /** Runs one statement with these parameters ($1, $2, ...) and waits for it. */
  public static void execute(ActorSystem<?> system, String sql, Object... values) {
    R2dbcSession.withSession(
            system,
            session -> {
              var statement = session.createStatement(sql);
              for (int i = 0; i < values.length; i++) {
                statement.bind(i, values[i]);
              }
              return session.updateOne(statement);
            })
        .toCompletableFuture()
        .join();
  }

  /**
   * Locks the table (ACCESS EXCLUSIVE) in a transaction on the system's journal pool that stays
   * open until the lock is closed: every query that reads the table waits, holding its connection,
   * as it would behind a long scan.
   */
  public static TableLock lock(ActorSystem<?> system, String table) {
    return new TableLock(system, table);
  }

  /** A lock held on a table until closed. */
  public static final class TableLock implements AutoCloseable {
    private final CompletableFuture<Void> release = new CompletableFuture<>();
    private final CompletionStage<List<Object>> held;

    private TableLock(ActorSystem<?> system, String table) {
      CompletableFuture<Void> locked = new CompletableFuture<>();
      held =
          R2dbcSession.withSession(
              system,
              session ->
                  session
                      // LOCK answers no row count, which updateOne expects: read its (no) rows.
                      .select(
                          session.createStatement(
                              "LOCK TABLE " + table + " IN ACCESS EXCLUSIVE MODE"),
                          row -> (Object) row)
                      .thenCompose(
                          none -> {
                            locked.complete(null);
                            return release.thenApply(ignored -> none);
                          }));
      held.whenComplete(
          (none, error) -> {
            if (error != null) {
              locked.completeExceptionally(error);
            }
          });
      locked.orTimeout(10, TimeUnit.SECONDS).join();
    }

    /** Whether the lock has been let go. */
    public boolean released() {
      return release.isDone();
    }

    /** Ends the transaction and waits until it has. */
    @Override
    public void close() {
      release.complete(null);
      held.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
