package storefront;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

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
    ActorTestKit testKit =
        ActorTestKit.create(
            name,
            NodeConfig.load(
                ConfigFactory.parseString(
                    "akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off\n"
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

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
