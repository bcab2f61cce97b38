package storefront.tools;

import picocli.CommandLine.Option;
import storefront.node.DatabaseClient;

/** Where a tool finds the shop's database: host and port, or an R2DBC URL that wins over them. */
public final class DatabaseOptions {
  @Option(names = "--db-host", description = "Default: DB_HOST, else 127.0.0.1.")
  String host = System.getenv().getOrDefault("DB_HOST", "127.0.0.1");

  @Option(names = "--db-port", description = "Default: DB_PORT, else the embedded port 5433.")
  int port = Integer.parseInt(System.getenv().getOrDefault("DB_PORT", "5433"));

  @Option(
      names = "--db-url",
      description =
          "An R2DBC URL instead (default: DB_URL), e.g. the failover URL of `cluster --db ha`.")
  String url = System.getenv().getOrDefault("DB_URL", "");

  /** A database client named after the tool. */
  public DatabaseClient client(String name) {
    return new DatabaseClient(name, host, port, url);
  }
}
