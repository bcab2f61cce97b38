package storefront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

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
      deleteRecursively(dataDirectory);
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

  /**
   * The first of `count` consecutive free ports, for processes that take a base port. They lie
   * below Linux's ephemeral range (32768 and up): there an outgoing connection, such as a node
   * calling a seed that has not started yet, can take the port first (seen: a node's remoting port
   * "already in use").
   */
  public static int freePortRange(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
      boolean free = true;
      for (int port = base; port < base + count && free; port++) {
        try (ServerSocket socket =
            new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range");
  }

  static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
