package storefront.tools.cluster;

import java.io.IOException;
import picocli.CommandLine.Option;

/** How a local cluster is laid out: nodes, ports, and whether HAProxy goes in front. */
public final class LaunchOptions {
  @Option(names = "--nodes", description = "Nodes (default 3).")
  int nodes = 3;

  @Option(
      names = "--db",
      description =
          "embedded (default): one PostgreSQL from the build; ha: a primary, a synchronous standby"
              + " and a monitor (Debian's postgresql-15-auto-failover), nodes following the primary.")
  LocalCluster.Database database = LocalCluster.Database.EMBEDDED;

  @Option(
      names = "--db-port",
      description = "Default 5433 (ha: the data nodes on it and the next, the monitor after).")
  int dbPort = 5433;

  @Option(names = "--http-base", description = "Node n serves HTTP on base + n - 1 (default 8081).")
  int httpBase = 8081;

  @Option(names = "--remote-base", description = "Node n's remoting port base (default 2551).")
  int remoteBase = 2551;

  @Option(
      names = "--management-base",
      description = "Node n's management port base (default 8558).")
  int managementBase = 8558;

  @Option(
      names = "--haproxy",
      description = "HAProxy in front of the nodes (needs Debian's haproxy package).")
  boolean haproxy;

  @Option(names = "--haproxy-port", description = "Default 8080.")
  int haproxyPort = 8080;

  public int nodes() {
    return nodes;
  }

  public int dbPort() {
    return dbPort;
  }

  /** Asks for the replicated database (chaos --kill-db-primary needs it). */
  public void replicatedDatabase() {
    database = LocalCluster.Database.HA;
  }

  /**
   * Checks, before anything starts, that what these options need is installed.
   *
   * @throws IllegalStateException saying what to install
   */
  public void checkInstalled() throws IOException {
    if (haproxy) {
      LoadBalancer.requireBinary();
    }
    if (database == LocalCluster.Database.HA) {
      ReplicatedPostgres.requireInstalled();
    }
  }

  /** Starts the database, the nodes and, when asked, HAProxy; returns when all serve. */
  public void start(LocalCluster cluster) throws IOException, InterruptedException {
    cluster.start(nodes, database, dbPort, httpBase, remoteBase, managementBase);
    if (haproxy) {
      cluster.startLoadBalancer(haproxyPort);
    }
  }
}
