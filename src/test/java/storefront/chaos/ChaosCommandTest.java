package storefront.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.Durations;
import storefront.TestDatabase;

/** The short chaos run of CI: three nodes, one kill under load, and the audit passes. */
class ChaosCommandTest {

  @Test
  void oneKillUnderLoadLosesNothing() throws Exception {
    Path directory = Files.createTempDirectory("chaos");
    int exit =
        new CommandLine(new ChaosCommand())
            .registerConverter(java.time.Duration.class, Durations::parse)
            .execute(
                "--dir", directory.toString(),
                "--duration", "60s",
                "--kill-every", "30s",
                "--down-for", "5s",
                "--concurrency", "4",
                "--db-port", String.valueOf(TestDatabase.freePortRange(1)),
                "--http-base", String.valueOf(TestDatabase.freePortRange(3)),
                "--remote-base", String.valueOf(TestDatabase.freePortRange(3)),
                "--management-base", String.valueOf(TestDatabase.freePortRange(3)));
    assertEquals(0, exit, "the audit passes after a node was killed under load");
  }
}
