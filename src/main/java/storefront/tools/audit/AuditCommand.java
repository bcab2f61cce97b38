package storefront.tools.audit;

import akka.actor.typed.ActorSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storefront.node.DatabaseClient;
import storefront.tools.DatabaseOptions;

/**
 * Checks the shop's invariants against journal, gateway ledger and read side; non-zero on failure.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Check that nothing acknowledged was lost, no unit oversold, every completed order paid"
            + " once and the read side equal to the journal. Let the read side catch up first.")
public final class AuditCommand implements Callable<Integer> {

  @Option(
      names = "--orders-file",
      description = "Acknowledged order ids written by the workload (first word of each line).")
  Path ordersFile;

  @Mixin DatabaseOptions databaseOptions = new DatabaseOptions();

  @Override
  public Integer call() throws Exception {
    List<UUID> acknowledged =
        ordersFile == null
            ? List.of()
            : Files.readAllLines(ordersFile).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> UUID.fromString(line.split("\\s+")[0]))
                .distinct()
                .toList();
    try (DatabaseClient database = databaseOptions.client("audit")) {
      ActorSystem<Void> system = database.system();
      List<AuditChecks.Check> checks = new AuditChecks(system).all(acknowledged);
      checks.forEach(
          check ->
              System.out.printf(
                  "%-4s %-70s examined %8d, wrong %6d%n",
                  check.passed() ? "ok" : "FAIL", check.name(), check.examined(), check.wrong()));
      long failed = checks.stream().filter(c -> !c.passed()).count();
      System.out.println(failed == 0 ? "Audit passed." : "Audit FAILED: " + failed + " check(s).");
      return failed == 0 ? 0 : 1;
    }
  }
}
