package storefront.cluster;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Starts, kills, stops and restarts a local cluster: a database and N nodes as processes. */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "A local cluster on 127.0.0.1: the database and N nodes as separate processes.",
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Kill.class,
      ClusterCommand.Stop.class,
      ClusterCommand.Restart.class,
      ClusterCommand.Status.class,
      ClusterCommand.StopAll.class,
      ClusterCommand.StopDatabase.class,
      ClusterCommand.StartDatabase.class
    })
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

    LocalCluster open() throws java.io.IOException {
      return new LocalCluster(path);
    }
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Start the database and N nodes, wait until all are Up and ready.")
  static final class Start implements Callable<Integer> {
    @Mixin Directory directory;

    @Option(names = "--nodes", description = "Default 3.")
    int nodes = 3;

    @Option(names = "--db-port", description = "Default 5433.")
    int dbPort = 5433;

    @Option(
        names = "--http-base",
        description = "Node n serves HTTP on base + n - 1 (default 8081).")
    int httpBase = 8081;

    @Option(names = "--remote-base", description = "Default 2551.")
    int remoteBase = 2551;

    @Option(names = "--management-base", description = "Default 8558.")
    int managementBase = 8558;

    @Option(
        names = "--haproxy",
        description = "Also start HAProxy in front of the nodes (needs Debian's haproxy package).")
    boolean haproxy;

    @Option(names = "--haproxy-port", description = "Default 8080.")
    int haproxyPort = 8080;

    @Override
    public Integer call() throws Exception {
      if (haproxy && LoadBalancer.binary().isEmpty()) {
        System.err.println("haproxy is not installed (Debian: apt-get install haproxy).");
        return 2;
      }
      LocalCluster cluster = directory.open();
      cluster.start(nodes, dbPort, httpBase, remoteBase, managementBase);
      if (haproxy) {
        cluster.startLoadBalancer(haproxyPort);
      }
      System.out.println(
          "Database: 127.0.0.1:" + dbPort + " (psql -h 127.0.0.1 -p " + dbPort + " -U postgres)");
      for (int n = 1; n <= nodes; n++) {
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
  }

  @Command(name = "kill", mixinStandardHelpOptions = true, description = "kill -9 node N.")
  static final class Kill implements Callable<Integer> {
    @Mixin Directory directory;

    @Parameters(description = "Node number.")
    int node;

    @Override
    public Integer call() throws Exception {
      directory.open().kill(node);
      System.out.println("Node " + node + " killed.");
      return 0;
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop node N gracefully: it leaves the cluster and hands its shards over.")
  static final class Stop implements Callable<Integer> {
    @Mixin Directory directory;

    @Parameters(description = "Node number.")
    int node;

    @Override
    public Integer call() throws Exception {
      directory.open().stop(node);
      System.out.println("Node " + node + " stopped.");
      return 0;
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Start node N again on its ports (stopping it first if it runs).")
  static final class Restart implements Callable<Integer> {
    @Mixin Directory directory;

    @Parameters(description = "Node number.")
    int node;

    @Override
    public Integer call() throws Exception {
      LocalCluster cluster = directory.open();
      cluster.restart(node);
      System.out.println("Node " + node + " ready at " + cluster.url(node) + ".");
      return 0;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Which nodes run, and how many members are Up.")
  static final class Status implements Callable<Integer> {
    @Mixin Directory directory;

    @Override
    public Integer call() throws Exception {
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
      System.out.println(cluster.membersUp() + " members Up.");
      return 0;
    }
  }

  @Command(
      name = "stop-all",
      mixinStandardHelpOptions = true,
      description = "Stop every node, then the database.")
  static final class StopAll implements Callable<Integer> {
    @Mixin Directory directory;

    @Override
    public Integer call() throws Exception {
      directory.open().stopAll();
      System.out.println("Cluster stopped.");
      return 0;
    }
  }

  @Command(
      name = "stop-db",
      mixinStandardHelpOptions = true,
      description = "Stop the database under running nodes (they answer 503 until it is back).")
  static final class StopDatabase implements Callable<Integer> {
    @Mixin Directory directory;

    @Override
    public Integer call() throws Exception {
      directory.open().stopDatabase();
      System.out.println("Database stopped.");
      return 0;
    }
  }

  @Command(
      name = "start-db",
      mixinStandardHelpOptions = true,
      description = "Start the database again on its port and data directory.")
  static final class StartDatabase implements Callable<Integer> {
    @Mixin Directory directory;

    @Override
    public Integer call() throws Exception {
      directory.open().startDatabase();
      System.out.println("Database ready.");
      return 0;
    }
  }
}
