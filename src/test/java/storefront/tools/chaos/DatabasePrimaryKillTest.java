package storefront.tools.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import storefront.ClusterPorts;
import storefront.tools.Directories;

/**
 * The short database kill of CI: three nodes on a replicated PostgreSQL (pg_auto_failover from
 * Debian's packages, which .ci/run installs), its primary killed with kill -9 under load. The
 * standby is promoted, every node answers (503 at worst) and then serves again by itself, the
 * killed data node comes back as the standby, and the audit finds every acknowledged order with
 * nothing counted twice.
 */
class DatabasePrimaryKillTest {

  @Test
  @Tag(ChaosRun.TAG)
  void killingTheDatabasePrimaryUnderLoadLosesNothing() throws Exception {
    assumeTrue(
        Files.isExecutable(Path.of("/usr/bin/pg_autoctl")),
        "needs Debian's postgresql-15-auto-failover (installed by .ci/run)");
    // Not a JUnit temporary directory: those are private to this user, and the database runs as
    // the postgres user, which must reach its data.
    Path directory = Path.of("target", "chaos-db-kill-" + UUID.randomUUID()).toAbsolutePath();
    ClusterPorts ports = ClusterPorts.freeForReplicatedDatabase(3);
    JsonNode report =
        ChaosRun.passed(
            directory,
            ports,
            "--kill-db-primary",
            // Room for a node kill after the primary kill even when the failover takes 90 s.
            "--duration",
            "180s",
            "--kill-every",
            "10s",
            "--down-for",
            "5s",
            "--concurrency",
            "4",
            "--users",
            "60",
            "--products",
            "30");
    JsonNode kill = report.path("databasePrimaryKill");
    assertTrue(kill.path("passed").asBoolean(), kill.toString());
    assertTrue(kill.path("promotedAfter").asDouble() > 0, kill.toString());
    assertTrue(
        kill.path("servingAfter").asDouble() >= kill.path("promotedAfter").asDouble(),
        "the nodes served again once the standby was the primary: " + kill);
    assertEquals(0, report.path("requests").path("lostAfterRetry").asLong(), report.toString());
    // Kept when the run failed, for its logs (under target/, which mvn clean removes).
    Directories.deleteRecursively(directory);
  }
}
