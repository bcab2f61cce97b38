package storefront;

import com.typesafe.config.ConfigException;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import storefront.node.DatabaseCommand;
import storefront.node.SchemaCommand;
import storefront.node.ServeCommand;
import storefront.tools.Durations;
import storefront.tools.audit.AuditCommand;
import storefront.tools.benchmark.BenchmarkCommand;
import storefront.tools.chaos.ChaosCommand;
import storefront.tools.cluster.ClusterCommand;
import storefront.tools.datagen.DatagenCommand;
import storefront.tools.workload.ListenCommand;
import storefront.tools.workload.WorkloadCommand;

/** The one jar's entry point; each subcommand is a program of the shop. */
@Command(
    name = "storefront",
    mixinStandardHelpOptions = true,
    description = "Event-sourced storefront on Akka Cluster and PostgreSQL.",
    subcommands = {
      ServeCommand.class,
      DatagenCommand.class,
      WorkloadCommand.class,
      ListenCommand.class,
      BenchmarkCommand.class,
      AuditCommand.class,
      DatabaseCommand.class,
      SchemaCommand.class,
      ClusterCommand.class,
      ChaosCommand.class
    })
public final class Main implements Runnable {

  public static void main(String[] args) {
    useAPoolForAsyncCompletions();
    int exitCode =
        new CommandLine(new Main())
            .registerConverter(Duration.class, Durations::parse)
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setExecutionExceptionHandler(Main::reportRefusal)
            .execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  /**
   * A command that refuses in a way the operator can act on (a cluster still running, a node that
   * did not come up, a setting missing or unsafe) says so in one line; anything else keeps its
   * stack trace.
   */
  private static int reportRefusal(Exception e, CommandLine command, CommandLine.ParseResult parsed)
      throws Exception {
    if (e instanceof IllegalStateException || e instanceof ConfigException) {
      command.getErr().println(e.getMessage());
      return 1;
    }
    throw e;
  }

  /**
   * Akka's Java API hands out CompletableFutures whose thenApply runs asynchronously on the common
   * ForkJoinPool. On a 2-core machine that pool has parallelism 1, and then the JDK starts a new
   * thread for every completion (measured: 200 threads/s and a 5x slower checkout). Must run before
   * anything touches the pool; a value given with -D is kept.
   */
  static void useAPoolForAsyncCompletions() {
    String property = "java.util.concurrent.ForkJoinPool.common.parallelism";
    if (System.getProperty(property) == null) {
      int cores = Runtime.getRuntime().availableProcessors();
      System.setProperty(property, Integer.toString(Math.max(4, cores)));
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
