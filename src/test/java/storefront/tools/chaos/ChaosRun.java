package storefront.tools.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import storefront.ClusterPorts;
import storefront.tools.Durations;

/** A chaos run of a test: on free ports, in its own directory, required to pass. */
final class ChaosRun {
  /**
   * The tag of the chaos runs: several minutes each, left out of the README's test command and run
   * by its own (`mvn -B test -Pchaos`), as .ci/run does after the suite.
   */
  static final String TAG = "chaos";

  private ChaosRun() {}

  /** Runs chaos with the plan; asserts that it and its audit passed; returns its report. */
  static JsonNode passed(Path directory, ClusterPorts ports, String... plan) throws IOException {
    List<String> args = new ArrayList<>(List.of("--dir", directory.toString()));
    args.addAll(List.of(plan));
    args.addAll(
        List.of(
            "--db-port",
            String.valueOf(ports.database()),
            "--http-base",
            String.valueOf(ports.httpBase()),
            "--remote-base",
            String.valueOf(ports.remoteBase()),
            "--management-base",
            String.valueOf(ports.managementBase())));
    int exit =
        new CommandLine(new ChaosCommand())
            .registerConverter(Duration.class, Durations::parse)
            .execute(args.toArray(String[]::new));
    JsonNode report = new ObjectMapper().readTree(directory.resolve("chaos-report.json").toFile());
    assertEquals(0, exit, "the chaos run passes: " + report.toPrettyString());
    assertEquals(0, report.path("auditExitCode").asInt());
    return report;
  }
}
