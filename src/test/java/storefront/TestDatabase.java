package storefront;

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

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
