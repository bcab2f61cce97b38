package storefront.node;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the embedded PostgreSQL on its own, for several nodes to share (stop it with SIGTERM). */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    description =
        "Run the embedded PostgreSQL alone, for nodes started with STOREFRONT_DB_MODE=external.")
public final class DatabaseCommand implements Callable<Integer> {

  @Option(names = "--port", description = "Default 5433.")
  int port = 5433;

  @Option(names = "--data-dir", description = "Default data/postgres.")
  Path dataDirectory = Path.of("data", "postgres");

  @Override
  public Integer call() throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(dataDirectory, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  database.close();
                  stopped.countDown();
                },
                "stop-database"));
    System.out.println("PostgreSQL ready on 127.0.0.1:" + port);
    stopped.await();
    return 0;
  }
}
