package storefront.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL server started from the build's own binaries, with its data kept on disk
 * between runs and durable settings (fsync and synchronous commit on), because an acknowledged
 * order must survive a crash of the machine, not only of the JVM.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /** The server's max_connections: every node's pools and the tools share it (persistence.conf). */
  static final int MAX_CONNECTIONS = 300;

  private final EmbeddedPostgres postgres;
  private final Path dataDirectory;
  private final FileChannel ownership;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, FileChannel ownership) {
    this.postgres = postgres;
    this.dataDirectory = dataDirectory;
    this.ownership = ownership;
  }

  /**
   * The embedded server when the node's settings ask for it ({@code storefront.database.mode =
   * embedded}), else none; refuses settings that name another database as well.
   */
  static Optional<EmbeddedDatabase> startIfConfigured(Config config) {
    Config storefront = config.getConfig("storefront");
    DatabaseFlavour flavour = DatabaseFlavour.fromConfig(storefront);
    if (!"embedded".equals(storefront.getString("database.mode"))) {
      return Optional.empty();
    }
    if (flavour != DatabaseFlavour.POSTGRES) {
      throw new ConfigException.BadValue(
          "storefront.database.flavour",
          "the "
              + flavour
              + " flavour needs an external database: STOREFRONT_DB_MODE=external and DB_URL");
    }
    if (!config.getString("akka.persistence.r2dbc.connection-factory.url").isEmpty()) {
      throw new ConfigException.BadValue(
          "akka.persistence.r2dbc.connection-factory.url",
          "DB_URL names an external database, but STOREFRONT_DB_MODE is embedded: set it to"
              + " external");
    }
    return Optional.of(
        start(
            Path.of(storefront.getString("database.embedded.data-directory")),
            storefront.getInt("database.embedded.port")));
  }

  /**
   * Starts the server on the data directory, which this process then owns until {@link #close()}. A
   * directory owned by another live process is refused; a server left behind by an owner that died
   * (kill -9) is stopped first.
   */
  public static EmbeddedDatabase start(Path dataDirectory, int port) {
    FileChannel ownership = own(dataDirectory);
    boolean started = false;
    try {
      stopOrphanedServer(dataDirectory);
      requireFreePort(port);
      EmbeddedDatabase database =
          new EmbeddedDatabase(startServer(dataDirectory, port), dataDirectory, ownership);
      started = true;
      return database;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the embedded PostgreSQL", e);
    } finally {
      if (!started) {
        closeQuietly(ownership);
      }
    }
  }

  /**
   * Locks the file beside the data directory (inside it, initdb would refuse a non-empty
   * directory). The kernel drops the lock when this process dies, however it dies, so a lock that
   * cannot be taken means a live owner: its server must not be touched.
   */
  private static FileChannel own(Path dataDirectory) {
    Path lockFile = dataDirectory.resolveSibling(dataDirectory.getFileName() + ".lock");
    try {
      Files.createDirectories(dataDirectory);
      FileChannel channel =
          FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException heldHere) {
        lock = null;
      }
      if (lock == null) {
        channel.close();
        throw new IllegalStateException(
            "the database directory "
                + dataDirectory.toAbsolutePath()
                + " is in use by another running process (a node or `db`), so this one will not"
                + " start a second server on it. Stop that process first, or choose another"
                + " directory.");
      }
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException("could not lock " + lockFile, e);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("Releasing the database directory's lock failed", e);
    }
  }

  /**
   * zonky's LinuxUtils copies its distribution-detection script to the temp directory once per JVM
   * and deletes it only at a clean exit (deleteOnExit), so every node killed with kill -9 left one
   * behind. Run the detection here and delete the script it wrote. A script that appeared in the
   * same few milliseconds but belongs to another starting JVM would be deleted too; that JVM then
   * warns and uses the generic binaries, which are the ones this build ships anyway.
   */
  private static void detectDistributionLeavingNoScript() throws IOException {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = detectionScripts(temp);
    LinuxUtils.getDistributionName();
    Set<Path> written = detectionScripts(temp);
    written.removeAll(before);
    for (Path script : written) {
      Files.deleteIfExists(script);
    }
  }

  private static Set<Path> detectionScripts(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("detect_linux_distribution_"))
          .collect(Collectors.toCollection(HashSet::new));
    }
  }

  private static EmbeddedPostgres startServer(Path dataDirectory, int port) throws IOException {
    detectDistributionLeavingNoScript();
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDirectory)
            .setCleanDataDirectory(false)
            .setPort(port)
            .setRegisterShutdownHook(false)
            .setPGStartupWait(Duration.ofSeconds(60))
            // zonky starts the server with -F (no fsync) and synchronous_commit off; these come
            // later on the command line and win.
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", String.valueOf(MAX_CONNECTIONS))
            .setServerConfig("listen_addresses", "127.0.0.1")
            // Statement statistics for profiling (CREATE EXTENSION pg_stat_statements to read
            // them); the server ships the library, and collecting costs about 1 %.
            .setServerConfig("shared_preload_libraries", "pg_stat_statements")
            .start();
    log.info("Embedded PostgreSQL on port {}, data in {}", port, dataDirectory.toAbsolutePath());
    return postgres;
  }

  public int port() {
    return postgres.getPort();
  }

  /**
   * A node killed with kill -9 leaves its PostgreSQL running on the data directory. With the
   * directory's lock taken, that server has no live owner (its pid is in postmaster.pid and it is a
   * postgres process): stop it so this start can use the directory again.
   */
  private static void stopOrphanedServer(Path dataDirectory) throws IOException {
    Optional<ProcessHandle> server = runningServer(dataDirectory);
    if (server.isEmpty()) {
      return;
    }
    log.warn("Stopping orphaned PostgreSQL (pid {}) left on {}", server.get().pid(), dataDirectory);
    server.get().destroy();
    awaitExit(server.get());
  }

  /** The live postgres process whose pid is in the data directory's postmaster.pid, if any. */
  private static Optional<ProcessHandle> runningServer(Path dataDirectory) throws IOException {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(pidFile);
    if (lines.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(lines.get(0).trim()))
        .filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }

  private static void awaitExit(ProcessHandle server) {
    try {
      server.onExit().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("PostgreSQL (pid " + server.pid() + ") did not stop", e);
    }
  }

  private static void requireFreePort(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " is already in use, so the embedded PostgreSQL cannot start there (is another"
              + " database or node running?). Choose another with STOREFRONT_DB_PORT or"
              + " storefront.database.embedded.port.",
          e);
    }
  }

  /**
   * Stops the server and waits for its process to exit: pg_ctl gives up waiting after a few seconds
   * while a busy server is still writing its shutdown checkpoint, and whoever stops this JVM
   * expects the database gone with it.
   */
  @Override
  public void close() {
    try {
      Optional<ProcessHandle> server = runningServer(dataDirectory);
      postgres.close();
      server.ifPresent(EmbeddedDatabase::awaitExit);
    } catch (IOException e) {
      log.warn("Stopping the embedded PostgreSQL failed", e);
    } finally {
      closeQuietly(ownership);
    }
  }
}
