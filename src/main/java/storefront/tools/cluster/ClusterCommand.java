package storefront.tools.cluster;

import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Starts, kills, stops and restarts a local cluster: a database and N nodes as processes, and
 * optionally HAProxy in front. Each subcommand is a method; they find the processes through the
 * cluster directory's state file.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "A local cluster on 127.0.0.1: the database and N nodes as separate processes.")
public final class ClusterCommand implements Runnable {

  @Override
  public void run() {
    System.out.println(
        "Use a subcommand: start, kill, stop, restart, status, stop-all, stop-db, start-db.");
  }

  /** Where the cluster keeps its state file, database and logs. */
  static final class Directory {
    @Option(names = "--dir", description = "Cluster directory (default cluster).")
    Path path = Path.of("cluster");

    LocalCluster open() throws IOException {
      return new LocalCluster(path);
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start the database and N nodes, wait until all are Up and ready.")
  int start(@Mixin Directory directory, @Mixin LaunchOptions launch) throws Exception {
    launch.checkInstalled();
    LocalCluster cluster = directory.open();
    launch.start(cluster);
    System.out.println(
        "Secrets: "
            + cluster.secretsFile()
            + " (for datagen, workload and operator calls: set -a; . "
            + cluster.secretsFile()
            + "; set +a)");
    printDatabase(cluster);
    for (int n = 1; n <= cluster.nodes(); n++) {
      var ports = cluster.ports(n);
      System.out.printf(
          "Node %d: %s  management http://127.0.0.1:%d  remoting %d  log %s%n",
          n, cluster.url(n), ports.management(), ports.remote(), cluster.log("node-" + n));
    }
    cluster
        .loadBalancerUrl()
        .ifPresent(
            url ->
                System.out.printf(
                    "HAProxy: %s (round-robin over the ready nodes; log %s)%n",
                    url, cluster.log("haproxy")));
    System.out.println(cluster.membersUp() + " members Up.");
    return 0;
  }

  private static void printDatabase(LocalCluster cluster) throws Exception {
    int port = cluster.databasePort();
    if (cluster.database() == LocalCluster.Database.EMBEDDED) {
      System.out.println(
          "Database: 127.0.0.1:" + port + " (psql -h 127.0.0.1 -p " + port + " -U postgres)");
      return;
    }
    System.out.println(
        "Database: replicated, data nodes on 127.0.0.1:"
            + port
            + " and "
            + (port + 1)
            + ", monitor on "
            + (port + 2)
            + "; states "
            + cluster.databaseStates()
            + "; nodes and tools connect with "
            + cluster.databaseUrl());
  }

  @Command(
      name = "kill-db-primary",
      mixinStandardHelpOptions = true,
      description = "kill -9 the replicated database's primary (a cluster started with --db ha).")
  int killDatabasePrimary(@Mixin Directory directory) throws Exception {
    LocalCluster cluster = directory.open();
    if (cluster.database() != LocalCluster.Database.HA) {
      throw new IllegalStateException("the cluster in " + directory.path + " runs no --db ha");
    }
    String killed = cluster.killDatabasePrimary();
    System.out.println(
        "Database node "
            + killed
            + " killed; its standby takes over (cluster status shows the states); cluster start-db"
            + " brings it back as the new standby.");
    return 0;
  }

  @Command(name = "kill", mixinStandardHelpOptions = true, description = "kill -9 node N.")
  int kill(@Mixin Directory directory, @Parameters(description = "Node number.") int node)
      throws IOException {
    directory.open().kill(node);
    System.out.println("Node " + node + " killed.");
    return 0;
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop node N gracefully: it leaves the cluster and hands its shards over.")
  int stop(@Mixin Directory directory, @Parameters(description = "Node number.") int node)
      throws IOException {
    directory.open().stop(node);
    System.out.println("Node " + node + " stopped.");
    return 0;
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Start node N again on its ports (stopping it first if it runs).")
  int restart(@Mixin Directory directory, @Parameters(description = "Node number.") int node)
      throws Exception {
    LocalCluster cluster = directory.open();
    cluster.restart(node);
    System.out.println("Node " + node + " ready at " + cluster.url(node) + ".");
    return 0;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Which nodes run, and how many members are Up.")
  int status(@Mixin Directory directory) throws Exception {
    LocalCluster cluster = directory.open();
    for (int n = 1; n <= cluster.nodes(); n++) {
      System.out.printf(
          "Node %d: %s %s%n", n, cluster.url(n), cluster.alive(n) ? "running" : "not running");
    }
    cluster
        .loadBalancerUrl()
        .ifPresent(
            url ->
                System.out.printf(
                    "HAProxy: %s %s%n",
                    url, cluster.loadBalancerRunning() ? "running" : "not running"));
    if (cluster.database() == LocalCluster.Database.HA) {
      System.out.println("Database: " + cluster.databaseStates());
    }
    System.out.println(cluster.membersUp() + " members Up.");
    return 0;
  }

  @Command(
      name = "stop-all",
      mixinStandardHelpOptions = true,
      description = "Stop HAProxy, every node, then the database.")
  int stopAll(@Mixin Directory directory) throws IOException {
    directory.open().stopAll();
    System.out.println("Cluster stopped.");
    return 0;
  }

  @Command(
      name = "stop-db",
      mixinStandardHelpOptions = true,
      description = "Stop the database under running nodes (they answer 503 until it is back).")
  int stopDatabase(@Mixin Directory directory) throws IOException {
    directory.open().stopDatabase();
    System.out.println("Database stopped.");
    return 0;
  }

  @Command(
      name = "start-db",
      mixinStandardHelpOptions = true,
      description =
          "Start the database again on its port and data directory (ha: every member that is not"
              + " running; a killed primary comes back as the standby).")
  int startDatabase(@Mixin Directory directory) throws Exception {
    directory.open().startDatabase();
    System.out.println("Database ready.");
    return 0;
  }
}
