package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;
import storefront.tools.Directories;

/**
 * The data directory has one owner: a second start refuses to touch a live owner's server, and a
 * server whose owner died with kill -9 is stopped and replaced. The owner is a `db` process of its
 * own, as in a local cluster, so that it can be killed like one.
 */
class DatabaseDirectoryOwnershipTest {

  @Test
  void aSecondStartOnADirectoryInUseIsRefusedAndTheRunningServerLives() throws Exception {
    Path directory = Path.of("target", "owned-postgres");
    Directories.deleteRecursively(directory);
    int ownerPort = TestDatabase.freePort();
    Process owner = startDatabaseProcess(directory, ownerPort);
    try {
      var refused =
          assertThrows(
              IllegalStateException.class,
              () -> EmbeddedDatabase.start(directory, TestDatabase.freePort()));
      assertTrue(
          refused.getMessage().contains("in use by another running process"), refused.getMessage());
      assertTrue(accepts(ownerPort), "the owner's server still runs");
    } finally {
      stop(owner);
    }
  }

  @Test
  void aServerLeftByAKilledOwnerIsStoppedAndReplaced() throws Exception {
    Path directory = Path.of("target", "orphaned-postgres");
    Directories.deleteRecursively(directory);
    int orphanPort = TestDatabase.freePort();
    Process owner = startDatabaseProcess(directory, orphanPort);
    owner.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertTrue(accepts(orphanPort), "kill -9 of the owner leaves its server running");

    try (EmbeddedDatabase replacement =
        EmbeddedDatabase.start(directory, TestDatabase.freePort())) {
      assertTrue(accepts(replacement.port()));
      assertFalse(accepts(orphanPort), "the orphaned server was stopped");
    }
    try (Stream<Path> left = Files.list(temporaryDirectory(directory))) {
      // embedded-pg is zonky's cache of the extracted binaries, shared by every start.
      assertEquals(
          List.of("embedded-pg"),
          left.map(f -> f.getFileName().toString()).toList(),
          "the killed owner left nothing else behind");
    }
  }

  /** The db process's own temporary directory, so that what it leaves there can be seen. */
  private static Path temporaryDirectory(Path dataDirectory) {
    return dataDirectory.resolveSibling(dataDirectory.getFileName() + "-tmp");
  }

  /** `storefront db` in its own JVM; returns once it says the server is ready. */
  private static Process startDatabaseProcess(Path directory, int port)
      throws IOException, InterruptedException {
    Path temporary = temporaryDirectory(directory);
    Directories.deleteRecursively(temporary);
    Files.createDirectories(temporary);
    Process process =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temporary,
                "-cp",
                System.getProperty("java.class.path"),
                "storefront.Main",
                "db",
                "--data-dir",
                directory.toString(),
                "--port",
                String.valueOf(port))
            .redirectErrorStream(true)
            .start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder printed = new StringBuilder();
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      printed.append(line).append('\n');
      if (line.startsWith("PostgreSQL ready")) {
        // Keep draining, so that the process never blocks on a full pipe.
        Thread drain = new Thread(() -> output.lines().forEach(ignored -> {}), "drain-db");
        drain.setDaemon(true);
        drain.start();
        return process;
      }
    }
    stop(process);
    throw new IllegalStateException("the db process ended before it was ready:\n" + printed);
  }

  /** SIGTERM, whose shutdown hook stops the server; then by force. */
  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
