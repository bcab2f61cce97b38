package storefront.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storefront.tools.NodeHttp;
import storefront.tools.audit.AuditCommand;
import storefront.tools.cluster.LaunchOptions;
import storefront.tools.cluster.LocalCluster;
import storefront.tools.datagen.DatagenCommand;
import storefront.tools.workload.RequestCounts;
import storefront.tools.workload.WorkloadCommand;

/**
 * Starts a local cluster, runs shoppers through all nodes (or HAProxy), optionally takes the
 * database away for a while, kills a random node with kill -9 every so often and restarts it after
 * a pause; then lets the read side catch up and runs the audit. For each kill it reports how long
 * until the cluster downed the node, until carts, stock and orders that lived anywhere answered
 * again, and until the read side had caught up; then the client's failed, retried and lost
 * requests.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = "Kill nodes under load, then audit that nothing acknowledged was lost.")
public final class ChaosCommand implements Callable<Integer> {
  @Option(names = "--dir", description = "Cluster directory (default chaos).")
  Path directory = Path.of("chaos");

  @Mixin LaunchOptions launch;

  @Option(names = "--duration", description = "How long shoppers shop (default 3m).")
  Duration duration = Duration.ofMinutes(3);

  @Option(names = "--kill-every", description = "Pause between kills (default 45s).")
  Duration killEvery = Duration.ofSeconds(45);

  @Option(names = "--down-for", description = "How long a killed node stays down (default 10s).")
  Duration downFor = Duration.ofSeconds(10);

  @Option(
      names = "--db-outage",
      description = "Stop the database this long under load before the kills (default 0: none).")
  Duration databaseOutage = Duration.ZERO;

  @Option(
      names = "--kill-db-primary",
      description =
          "Run on a replicated database (as --db ha) and kill -9 its primary under load, after the"
              + " database outage and before the partition; the killed data node then rejoins as"
              + " the standby.")
  boolean killDatabasePrimary;

  @Option(
      names = "--partition-for",
      description =
          "Cut a random node off from the others this long under load, after the database outage"
              + " and before the kills (default 0: none). The nodes then talk through relays run"
              + " by this process.")
  Duration partition = Duration.ZERO;

  @Option(names = "--concurrency", description = "Shoppers (default 6).")
  int concurrency = 6;

  @Option(
      names = "--users",
      description = "Users datagen adds before the shoppers start (default 300).")
  int users = 300;

  @Option(
      names = "--products",
      description = "Products datagen adds, each stocked in every region (default 100).")
  int products = 100;

  /**
   * How long a primary kill may take, until the killed data node is the standby again: 26 s on a
   * quiet machine, 38 s in CI while the suite's other work ran beside it, 76 s in one CI run on a
   * busy machine (promoted after 26 s).
   */
  private static final Duration PRIMARY_KILL_TAKES = Duration.ofSeconds(90);

  /** The workload's shoppers are of this region (the partition's of another). */
  private static final String SHOPPING_REGION = "us-west";

  private final NodeHttp probe = new NodeHttp(Duration.ofSeconds(10));

  @Override
  public Integer call() throws Exception {
    int nodes = launch.nodes();
    if (nodes < 3) {
      System.err.println("--nodes must be at least 3: a killed node must leave a majority.");
      return 2;
    }
    Duration neededForAKill = firstKillAt().plus(loadAfterAKill());
    if (duration.compareTo(neededForAKill) <= 0) {
      System.err.printf(
          "--duration %ds leaves no time for a kill: the first comes after %ds (with the database"
              + " outage), and shoppers must shop another %ds (--down-for + 20 s) to show its"
              + " failover. Give --duration more than %ds, or a shorter --kill-every.%n",
          duration.toSeconds(),
          firstKillAt().toSeconds(),
          loadAfterAKill().toSeconds(),
          neededForAKill.toSeconds());
      return 2;
    }
    if (partition.compareTo(Partition.LONGEST) > 0) {
      System.err.printf(
          "--partition-for %ds is longer than its carts can take writes for: at most %ds.%n",
          partition.toSeconds(), Partition.LONGEST.toSeconds());
      return 2;
    }
    if (killDatabasePrimary) {
      launch.replicatedDatabase();
    }
    launch.checkInstalled();
    Files.createDirectories(directory);
    LocalCluster cluster = new LocalCluster(directory);
    if (!partition.isZero()) {
      cluster.partitionable();
    }
    Path orders = directory.resolve("acknowledged-orders.txt");
    Path workloadSummary = directory.resolve("workload-summary.json");
    Files.deleteIfExists(orders);
    Files.deleteIfExists(workloadSummary);
    ChaosReport report = new ChaosReport();
    ExecutorService shoppers = Executors.newSingleThreadExecutor();
    try {
      launch.start(cluster);
      generateData(cluster);
      Map<String, NodeHttp> partitionCarts =
          partition.isZero() ? Map.of() : Partition.openCarts(cluster, probe, SHOPPING_REGION);
      System.out.println("Cluster of " + nodes + " Up; shoppers start.");
      WorkloadCommand shopping = new WorkloadCommand();
      Future<Integer> workload =
          shoppers.submit(() -> shop(shopping, cluster, orders, workloadSummary));
      // The schedule starts with the shopping, not with the sign-ins before it.
      if (!shopping.awaitSignedIn(Duration.ofMinutes(3))) {
        throw new IllegalStateException(
            "the workload did not sign its shoppers in within 3 minutes (see its output above)");
      }
      long end = System.nanoTime() + duration.toNanos();
      Thread.sleep(Math.min(killEvery.toMillis(), duration.toMillis() / 3));
      if (!databaseOutage.isZero()) {
        report.outage(DatabaseOutage.run(cluster, databaseOutage, probe));
        Thread.sleep(killEvery.toMillis());
      }
      if (killDatabasePrimary) {
        report.primaryKill(PrimaryKill.run(cluster, probe, shopping));
        Thread.sleep(killEvery.toMillis());
      }
      if (!partition.isZero()) {
        report.partition(Partition.run(cluster, partition, probe, partitionCarts));
        Thread.sleep(killEvery.toMillis());
      }
      // A kill is only worth making while load remains to see its failover under.
      int kills = 0;
      while (System.nanoTime() + loadAfterAKill().toNanos() < end) {
        int victim = 1 + ThreadLocalRandom.current().nextInt(nodes);
        report.kill(killAndRestore(cluster, victim, orders, shopping));
        kills++;
        Thread.sleep(killEvery.toMillis());
      }
      if (kills == 0) {
        throw new IllegalStateException(
            "no node was killed: the database outage, the primary kill or the partition took"
                + " longer than planned"
                + " and left less than "
                + loadAfterAKill().toSeconds()
                + " s of load; give --duration more time");
      }
      int shopped = workload.get();
      System.out.println("Shoppers done (exit " + shopped + "); letting the read side catch up.");
      report.workloadSummary(workloadSummary);
      awaitCaughtUp(cluster, 1, Duration.ofMinutes(2), Duration.ZERO);
      List<String> audit = new ArrayList<>(cluster.databaseOptions());
      audit.addAll(List.of("--orders-file", orders.toString()));
      report.audit(new CommandLine(new AuditCommand()).execute(audit.toArray(String[]::new)));
    } catch (Exception e) {
      e.printStackTrace();
      report.failure(e);
    } finally {
      // Shoppers stop before the cluster does, also when the run broke off.
      shoppers.shutdownNow();
      shoppers.awaitTermination(1, TimeUnit.MINUTES);
      cluster.stopAll();
    }
    report.print(System.out);
    report.write(directory.resolve("chaos-report.json"));
    return report.passed() ? 0 : 1;
  }

  /**
   * When the first kill comes after the shoppers start, by plan (the outage, the primary kill and
   * the partition may take longer).
   */
  private Duration firstKillAt() {
    Duration first =
        killEvery.compareTo(duration.dividedBy(3)) < 0 ? killEvery : duration.dividedBy(3);
    if (!databaseOutage.isZero()) {
      first = first.plus(databaseOutage).plus(killEvery);
    }
    if (killDatabasePrimary) {
      first = first.plus(PRIMARY_KILL_TAKES).plus(killEvery);
    }
    return partition.isZero() ? first : first.plus(partition).plus(killEvery);
  }

  /** Load that must remain after a kill for its failover to be seen under it. */
  private Duration loadAfterAKill() {
    return downFor.plusSeconds(20);
  }

  /** Users to shop and products with ample stock, so that visits end in orders. */
  private void generateData(LocalCluster cluster) throws IOException {
    List<String> args = new ArrayList<>(cluster.databaseOptions());
    args.addAll(
        List.of(
            "--users", String.valueOf(users),
            "--products", String.valueOf(products),
            "--target", cluster.url(1),
            "--admin-token", cluster.secrets().adminToken(),
            "--shopper-password", cluster.secrets().shopperPassword()));
    int exit = new CommandLine(new DatagenCommand()).execute(args.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException("datagen failed (exit " + exit + ")");
    }
  }

  private int shop(WorkloadCommand shopping, LocalCluster cluster, Path orders, Path summary) {
    List<String> args = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    cluster
        .loadBalancerUrl()
        .ifPresentOrElse(
            targets::add,
            () -> {
              for (int n = 1; n <= cluster.nodes(); n++) {
                targets.add(cluster.url(n));
              }
            });
    for (String target : targets) {
      args.add("--target");
      args.add(target);
    }
    args.addAll(
        List.of(
            "--admin-token",
            cluster.secrets().adminToken(),
            "--shopper-password",
            cluster.secrets().shopperPassword(),
            "--region",
            SHOPPING_REGION,
            "--concurrency",
            String.valueOf(concurrency),
            "--duration",
            "PT" + duration.toSeconds() + "S",
            "--report-every",
            "PT30S",
            "--order-lines",
            "none",
            "--orders-file",
            orders.toString(),
            "--summary-file",
            summary.toString()));
    return new CommandLine(shopping).execute(args.toArray(String[]::new));
  }

  private ChaosReport.Kill killAndRestore(
      LocalCluster cluster, int victim, Path orders, WorkloadCommand shopping) throws Exception {
    int survivor = victim == 1 ? 2 : 1;
    EntityProbes entities =
        EntityProbes.prepare(cluster.url(survivor), orders, probe, cluster.secrets());
    RequestCounts before = shopping.requestCounts();
    long killedAt = System.nanoTime();
    cluster.kill(victim);
    System.out.println("Killed node " + victim + ".");
    cluster.awaitMembersUp(cluster.nodes() - 1, Duration.ofMinutes(2));
    double downed = seconds(killedAt);
    Map<String, Double> answered =
        entities.awaitAnswers(cluster.url(survivor), killedAt, Duration.ofMinutes(2));
    awaitCaughtUp(cluster, survivor, Duration.ofMinutes(2), Duration.ofSeconds(1));
    double caughtUp = seconds(killedAt);
    Thread.sleep(Math.max(0, downFor.toMillis() - (long) (caughtUp * 1000)));
    cluster.startNode(victim);
    cluster.awaitReady(victim, Duration.ofMinutes(2));
    cluster.awaitMembersUp(cluster.nodes(), Duration.ofMinutes(2));
    System.out.printf(
        "Node %d: downed after %.1f s; %s answer again; read side caught up after %.1f s;"
            + " restarted.%n",
        victim,
        downed,
        answered.entrySet().stream()
            .map(kind -> String.format("%s after %.1f s", kind.getKey(), kind.getValue()))
            .collect(Collectors.joining(", ")),
        caughtUp);
    return new ChaosReport.Kill(
        victim, downed, answered, caughtUp, shopping.requestCounts().since(before));
  }

  /**
   * Waits until no projection has an event waiting that was written longer ago than {@code
   * tolerance} (zero: until nothing waits at all). Under load a few events always wait, so after a
   * kill the read side counts as caught up once it is back to its usual sub-second lag.
   */
  private void awaitCaughtUp(LocalCluster cluster, int node, Duration timeout, Duration tolerance)
      throws Exception {
    String url = cluster.url(node);
    NodeHttp operator = probe.withToken(cluster.secrets().adminToken());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        boolean caughtUp = true;
        for (JsonNode instance : operator.get(url + "/projections")) {
          caughtUp &=
              instance.path("waitingEvents").asLong() == 0
                  || (!tolerance.isZero()
                      && instance.path("oldestWaitingEventAgeMs").asDouble()
                          < tolerance.toMillis());
        }
        if (caughtUp) {
          return;
        }
      } catch (IOException e) {
        // the node may be busy taking over; ask again
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("read side did not catch up in " + timeout);
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
