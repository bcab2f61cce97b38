package storefront.tools.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster signals only processes it started: a pid in its state file that now belongs to another
 * process (the pid was reused) is left alone, the one it recorded is stopped.
 */
class LocalClusterPidsTest {

  @Test
  void aReusedPidIsNeverSignalledAndTheRecordedProcessIs(@TempDir Path directory) throws Exception {
    Process stranger = new ProcessBuilder("sleep", "60").start();
    Process recorded = new ProcessBuilder("sleep", "60").start();
    try {
      Properties state = new Properties();
      state.setProperty("nodes", "2");
      // Node 1's pid is the stranger's, with the start time of whatever once had that pid.
      state.setProperty("node.1.pid", String.valueOf(stranger.pid()));
      state.setProperty(
          "node.1.pid.started",
          String.valueOf(LocalCluster.startedAt(stranger.toHandle()) - 60_000));
      state.setProperty("node.2.pid", String.valueOf(recorded.pid()));
      state.setProperty(
          "node.2.pid.started", String.valueOf(LocalCluster.startedAt(recorded.toHandle())));
      // A state file of an older version, with pids only: nothing in it is known to be ours.
      state.setProperty("db.pid", String.valueOf(stranger.pid()));
      write(state, directory.resolve("state.properties"));

      LocalCluster cluster = new LocalCluster(directory);
      assertFalse(cluster.alive(1), "the stranger is not node 1");
      assertTrue(cluster.alive(2));
      cluster.stopAll();

      assertTrue(recorded.waitFor(30, TimeUnit.SECONDS), "the recorded process was stopped");
      assertTrue(stranger.isAlive(), "the stranger was not signalled");
    } finally {
      stranger.destroyForcibly();
      recorded.destroyForcibly();
    }
  }

  private static void write(Properties state, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      state.store(out, null);
    }
  }
}
