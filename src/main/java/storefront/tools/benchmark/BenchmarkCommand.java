package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import storefront.node.DatabaseClient;
import storefront.tools.cluster.FreePorts;
import storefront.tools.cluster.LocalCluster;

/**
 * Measures the shop as it runs: PostgreSQL and the nodes as their own processes (a local cluster in
 * a fresh directory on free ports), orders driven over HTTP by the workload in another process, the
 * entities asked by this JVM as a cluster member that hosts none of them. CPU comes from /proc per
 * process, database work from PostgreSQL's own statistics, heap from jcmd, and pgbench gives the
 * server's commit ceiling that every rate is compared with. Everything started is stopped by pid at
 * the end, also on failure or Ctrl-C.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description =
        "Start PostgreSQL and nodes as processes in a temporary directory, load them from other"
            + " processes and report rates, latency, CPU, database work and heap per cart. The"
            + " nodes inherit this environment, e.g. STOREFRONT_DECLINE_RATE.")
public final class BenchmarkCommand implements Callable<Integer> {

  @Option(names = "--nodes", description = "Nodes (default 1; with more, HAProxy if installed).")
  int nodes = 1;

  @Option(names = "--shoppers", description = "Workload shoppers, closed loop (default 32).")
  int shoppers = 32;

  @Option(names = "--phase", description = "Length of each measured phase (default 60s).")
  Duration phase = Duration.ofSeconds(60);

  @Option(
      names = "--warmup",
      description =
          "Shopping before the counted orders phase, not counted (default 180s: on 2 cores the"
              + " JIT compiles for minutes; after 60 s it still took a fifth of the node's CPU).")
  Duration warmup = Duration.ofSeconds(180);

  @Option(
      names = "--concurrency",
      description = "Callers at once in the events and heap phases (default 64).")
  int concurrency = 64;

  @Option(
      names = "--hot-callers",
      description =
          "Callers at once on the hot product, a flash sale's crowd (default 256). Each waits"
              + " for two batch writes per reservation (~10 ms), so 64 would cap it near 6,000/s.")
  int hotCallers = 256;

  @Option(
      names = "--idle-streams",
      description = "Idle live streams in the streams phase (default 1000).")
  int idleStreams = 1_000;

  // Idle means open and quiet: the counted run starts after the node has settled the thousand
  // connects (their JIT, the young collections their buffers cause), not during them.
  @Option(
      names = "--streams-settle",
      description = "Wait after the idle streams are open, before the counted run (default 15s).")
  Duration streamsSettle = Duration.ofSeconds(15);

  @Option(names = "--carts", description = "Active carts for the heap figure (default 100000).")
  int carts = 100_000;

  @Option(
      names = "--json-file",
      description = "Write the report as JSON here (default benchmark-report.json).")
  Path jsonFile = Path.of("benchmark-report.json");

  @Option(names = "--keep", description = "Keep the run's directory (database, logs).")
  boolean keep;

  /** The parts of a run, in the order they run. */
  enum Phase {
    pgbench,
    orders,
    streams,
    events,
    reservations,
    heap
  }

  @Option(
      names = "--phases",
      split = ",",
      description =
          "Run only these, e.g. reservations to profile one (default all: ${DEFAULT-VALUE}).")
  Set<Phase> phases = EnumSet.allOf(Phase.class);

  @Override
  public Integer call() throws Exception {
    BenchmarkReport report = new BenchmarkReport();
    report.options.put("nodes", nodes);
    report.options.put("shoppers", shoppers);
    report.options.put("phaseSeconds", phase.toMillis() / 1000.0);
    report.options.put("warmupSeconds", warmup.toMillis() / 1000.0);
    report.options.put("concurrency", concurrency);
    report.options.put("hotCallers", hotCallers);
    report.options.put("carts", carts);
    report.options.put("idleStreams", idleStreams);
    Path directory = Files.createTempDirectory("storefront-benchmark");
    report.options.put("directory", directory.toString());
    Started started = new Started(directory);
    Thread onInterrupt =
        new Thread(
            () -> {
              started.close();
              if (!keep) {
                started.deleteDirectory();
              }
            },
            "benchmark-stop");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      measure(started, report);
    } catch (Exception e) {
      report.error = e.toString();
      e.printStackTrace();
    } finally {
      started.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(onInterrupt);
    } catch (IllegalStateException shuttingDown) {
      // Ctrl-C: the hook has stopped everything and removes the directory.
      return 130;
    }
    report.processes = started.pids();
    if (keep || report.error != null) {
      System.out.println("Database and logs kept in " + directory);
    } else {
      started.deleteDirectory();
    }
    report.print(System.out);
    report.write(jsonFile);
    System.out.println("Report written to " + jsonFile.toAbsolutePath());
    return report.error == null ? 0 : 1;
  }

  private void measure(Started started, BenchmarkReport report) throws Exception {
    LocalCluster cluster = started.cluster();
    // The database, HTTP, remoting and management ports of each node, and HAProxy's.
    int base = FreePorts.range(2 + 3 * nodes);
    int dbPort = base;
    long start = System.nanoTime();
    cluster.start(nodes, dbPort, base + 1, base + 1 + nodes, base + 1 + 2 * nodes);
    List<String> targets = targets(cluster, base + 1 + 3 * nodes);
    started.noteClusterPids();
    report.options.put("targets", targets);
    System.out.printf(
        "Cluster: PostgreSQL and %d node(s) as processes, up in %.1f s (directory %s)%n",
        nodes, seconds(start), started.directory());

    LoadMember member =
        started.client(LoadMember.join(cluster.ports(1).remote(), Duration.ofMinutes(1)));
    generateData(started, member, dbPort, cluster.url(1));
    PostgresStats database =
        new PostgresStats(
            started.client(new DatabaseClient("benchmark", "127.0.0.1", dbPort)).system());
    boolean profile = database.enableStatements();
    if (phases.contains(Phase.pgbench)) {
      commitCeiling(started, dbPort, database, report);
    }
    if (phases.contains(Phase.orders)) {
      new OrdersPhase(started, targets, shoppers, database, profile).run(warmup, phase, report);
    }
    if (phases.contains(Phase.streams)) {
      streams(started, targets, cluster.url(1), report);
    }
    entities(started, member, report);
  }

  /**
   * Checkout latency without and with idle live-stream clients on the first node, at half the rate
   * the orders phase reached (or 10 visits/s without it).
   */
  private void streams(Started started, List<String> targets, String node, BenchmarkReport report)
      throws IOException, InterruptedException {
    double rate = report.halfRate != null ? report.halfRate.openLoopRate() : 10;
    report.streams =
        new StreamsPhase(
                started,
                new WorkloadRuns(started, targets, shoppers),
                node,
                idleStreams,
                streamsSettle)
            .run(report.orders != null ? Duration.ZERO : warmup, phase, rate, shoppers);
    System.out.printf(
        "Streams: checkout p50/p99 %.1f/%.1f ms with %d idle streams, %.1f/%.1f and %.1f/%.1f"
            + " without (before, after): x%.2f / x%.2f%n",
        report.streams.with().checkoutMs().p50(),
        report.streams.with().checkoutMs().p99(),
        idleStreams,
        report.streams.before().checkoutMs().p50(),
        report.streams.before().checkoutMs().p99(),
        report.streams.after().checkoutMs().p50(),
        report.streams.after().checkoutMs().p99(),
        report.streams.p50Ratio(),
        report.streams.p99Ratio());
  }

  /** With several nodes, HAProxy in front of them when it is installed, else every node. */
  private static List<String> targets(LocalCluster cluster, int loadBalancerPort)
      throws IOException, InterruptedException {
    if (cluster.nodes() > 1) {
      try {
        cluster.startLoadBalancer(loadBalancerPort);
        return List.of(cluster.loadBalancerUrl().orElseThrow());
      } catch (IllegalStateException e) {
        System.out.println(
            "HAProxy not used (" + e.getMessage() + "): the workload targets every node.");
      }
    }
    List<String> urls = new ArrayList<>();
    for (int n = 1; n <= cluster.nodes(); n++) {
      urls.add(cluster.url(n));
    }
    return urls;
  }

  /**
   * Shoppers and products with ample stock in one region, and the sample catalog's products (100
   * units per warehouse) restocked far beyond what a run sells: a sold-out product ends visits
   * without an order.
   */
  private static void generateData(Started started, LoadMember member, int dbPort, String node)
      throws Exception {
    long start = System.nanoTime();
    Process datagen =
        started.startTool(
            "datagen",
            List.of(
                "datagen",
                "--users",
                "200",
                "--products",
                "100",
                "--regions",
                WorkloadRuns.REGION,
                "--db-port",
                String.valueOf(dbPort),
                "--target",
                node));
    int exit = started.await(datagen, "datagen", Duration.ofMinutes(5));
    if (exit != 0) {
      throw new IllegalStateException(
          "datagen failed (exit " + exit + "); see " + started.log("datagen"));
    }
    member.restockTheSampleCatalog(WorkloadRuns.REGION, 1_000_000, Duration.ofMinutes(1));
    System.out.printf(
        "Data: 200 shoppers in %s, 100 products in stock (datagen), the sample catalog's"
            + " restocked; %.1f s%n",
        WorkloadRuns.REGION, seconds(start));
  }

  private static void commitCeiling(
      Started started, int dbPort, PostgresStats database, BenchmarkReport report)
      throws Exception {
    Optional<Path> pgbench = Pgbench.binary();
    if (pgbench.isEmpty()) {
      report.pgbenchMissing =
          "pgbench is not installed (Debian: apt-get install postgresql-client):"
              + " no commit ceiling, no ratios.";
      System.out.println(report.pgbenchMissing);
      return;
    }
    report.pgbenchCommitsPerSecond =
        Pgbench.commitsPerSecond(pgbench.get(), dbPort, database, started);
    System.out.printf(
        "pgbench: %.0f single-row INSERT commits/s (%d clients, %d s): the ceiling%n",
        report.pgbenchCommitsPerSecond, Pgbench.CLIENTS, Pgbench.SECONDS);
  }

  /** Events, a hot product and the heap of open carts, asked from this JVM as a load member. */
  private void entities(Started started, LoadMember member, BenchmarkReport report)
      throws Exception {
    EntityPhases entityPhases = new EntityPhases(member.system(), concurrency);
    if (phases.contains(Phase.events)) {
      events(entityPhases, report);
    }
    if (phases.contains(Phase.reservations)) {
      reservations(entityPhases, report);
    }
    if (phases.contains(Phase.heap)) {
      CartHeap.measure(started, entityPhases, carts, report);
    }
  }

  private void events(EntityPhases entityPhases, BenchmarkReport report) {
    report.events = entityPhases.eventsPersisted(phase);
    System.out.printf(
        "Events: %.0f persisted/s by %d callers, p50 %.1f ms, p99 %.1f ms, %d failed%n",
        report.events.perSecond(),
        concurrency,
        report.events.p50Ms(),
        report.events.p99Ms(),
        report.events.failed());
  }

  private void reservations(EntityPhases entityPhases, BenchmarkReport report) {
    EntityPhases.Reservations reservations = entityPhases.hotProductReservations(phase, hotCallers);
    report.reservations = reservations;
    var stock = reservations.stock();
    System.out.printf(
        "Reservations: %.0f/s on one hot product by %d callers, %d failed; received %d ="
            + " available %d + reserved %d + sold %d; sold = reservations: %s%n",
        reservations.rate().perSecond(),
        hotCallers,
        reservations.rate().failed(),
        stock.received(),
        stock.available(),
        stock.reserved(),
        stock.sold(),
        stock.sold() == reservations.rate().succeeded());
    if (!reservations.stockAddsUp()) {
      throw new IllegalStateException("the hot product's stock does not add up: " + stock);
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
