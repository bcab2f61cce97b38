package storefront;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one jar's entry point; each subcommand is a program of the shop. */
@Command(
    name = "storefront",
    mixinStandardHelpOptions = true,
    description = "Event-sourced storefront on Akka Cluster and PostgreSQL.",
    subcommands = {ServeCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    int exitCode = new CommandLine(new Main()).execute(args);
    if (exitCode != 0) {
      System.exit(exitCode);
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
