package storefront.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import storefront.audit.AuditCommand;
import storefront.cluster.LocalCluster;
import storefront.cluster.Probe;
import storefront.workload.WorkloadCommand;

/**
 * Starts a local cluster, runs shoppers through all nodes, kills a random node with kill -9 every
 * so often and restarts it after a pause; then lets the read side catch up and runs the audit. For
 * each kill it reports how long until the cluster downed the node, until carts that lived anywhere
 * answered again, and until the read side had caught up.
 */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = "Kill nodes under load, then audit that nothing acknowledged was lost.")
public final class ChaosCommand implements Callable<Integer> {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(names = "--dir", description = "Cluster directory (default chaos).")
  Path directory = Path.of("chaos");

  @Option(names = "--nodes", description = "Default 3.")
  int nodes = 3;

  @Option(names = "--duration", description = "How long shoppers shop (default 3m).")
  Duration duration = Duration.ofMinutes(3);

  @Option(names = "--kill-every", description = "Default 45s.")
  Duration killEvery = Duration.ofSeconds(45);

  @Option(names = "--down-for", description = "How long a killed node stays down (default 10s).")
  Duration downFor = Duration.ofSeconds(10);

  @Option(names = "--concurrency", description = "Shoppers (default 6).")
  int concurrency = 6;

  @Option(names = "--db-port", description = "Default 5433.")
  int dbPort = 5433;

  @Option(names = "--http-base", description = "Default 8081.")
  int httpBase = 8081;

  @Option(names = "--remote-base", description = "Default 2551.")
  int remoteBase = 2551;

  @Option(names = "--management-base", description = "Default 8558.")
  int managementBase = 8558;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Probe probe = new Probe(Duration.ofSeconds(10));

  /** What one kill cost. */
  record KillReport(int node, double downedAfter, double cartsAnswerAfter, double caughtUpAfter) {}

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(directory);
    LocalCluster cluster = new LocalCluster(directory);
    List<KillReport> kills = new ArrayList<>();
    int audit;
    try {
      cluster.start(nodes, dbPort, httpBase, remoteBase, managementBase);
      System.out.println("Cluster of " + nodes + " Up; shoppers start.");
      Path orders = directory.resolve("acknowledged-orders.txt");
      ExecutorService shoppers = Executors.newSingleThreadExecutor();
      Future<Integer> workload = shoppers.submit(() -> shop(cluster, orders));
      long end = System.nanoTime() + duration.toNanos();
      Thread.sleep(Math.min(killEvery.toMillis(), duration.toMillis() / 3));
      while (System.nanoTime() + downFor.toNanos() + Duration.ofSeconds(20).toNanos() < end) {
        int victim = 1 + ThreadLocalRandom.current().nextInt(nodes);
        kills.add(killAndRestore(cluster, victim));
        Thread.sleep(killEvery.toMillis());
      }
      int shopped = workload.get();
      shoppers.shutdown();
      System.out.println("Shoppers done (exit " + shopped + "); letting the read side catch up.");
      awaitCaughtUp(cluster.url(1), Duration.ofMinutes(2));
      audit =
          new CommandLine(new AuditCommand())
              .execute("--db-port", String.valueOf(dbPort), "--orders-file", orders.toString());
    } finally {
      cluster.stopAll();
    }
    System.out.println();
    System.out.println(
        "kill  node  downed after  all carts answer after  read side caught up after");
    for (int i = 0; i < kills.size(); i++) {
      KillReport k = kills.get(i);
      System.out.printf(
          "%4d  %4d  %10.1f s  %20.1f s  %23.1f s%n",
          i + 1, k.node(), k.downedAfter(), k.cartsAnswerAfter(), k.caughtUpAfter());
    }
    return audit;
  }

  private int shop(LocalCluster cluster, Path orders) {
    List<String> args = new ArrayList<>();
    for (int n = 1; n <= nodes; n++) {
      args.add("--target");
      args.add(cluster.url(n));
    }
    args.addAll(
        List.of(
            "--concurrency",
            String.valueOf(concurrency),
            "--duration",
            "PT" + duration.toSeconds() + "S",
            "--report-every",
            "PT30S",
            "--order-lines",
            "none",
            "--orders-file",
            orders.toString()));
    return new CommandLine(new WorkloadCommand()).execute(args.toArray(String[]::new));
  }

  private KillReport killAndRestore(LocalCluster cluster, int victim) throws Exception {
    int survivor = victim == 1 ? 2 : 1;
    List<String> carts = probeCarts(cluster.url(survivor), 20);
    long killedAt = System.nanoTime();
    cluster.kill(victim);
    System.out.println("Killed node " + victim + ".");
    cluster.awaitMembersUp(nodes - 1, Duration.ofMinutes(2));
    double downed = seconds(killedAt);
    awaitAll(cluster.url(survivor), carts, Duration.ofMinutes(2));
    double answered = seconds(killedAt);
    awaitCaughtUp(cluster.url(survivor), Duration.ofMinutes(2));
    double caughtUp = seconds(killedAt);
    Thread.sleep(Math.max(0, downFor.toMillis() - (long) (caughtUp * 1000)));
    cluster.startNode(victim);
    cluster.awaitReady(victim, Duration.ofMinutes(2));
    cluster.awaitMembersUp(nodes, Duration.ofMinutes(2));
    System.out.printf(
        "Node %d: downed after %.1f s, carts answer after %.1f s, read side caught up after %.1f s;"
            + " restarted.%n",
        victim, downed, answered, caughtUp);
    return new KillReport(victim, downed, answered, caughtUp);
  }

  /** Opens carts spread over the shards, so that some lived on the node about to die. */
  private List<String> probeCarts(String url, int count) throws Exception {
    String user = probe.get(url + "/users?size=1").path("items").get(0).path("userId").asText();
    List<String> carts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/carts"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"userId\":\"" + user + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 201) {
        carts.add(MAPPER.readTree(response.body()).path("cartId").asText());
      }
    }
    return carts;
  }

  private void awaitAll(String url, List<String> carts, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String cart : carts) {
      while (probe.status(url + "/carts/" + cart) != 200) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("cart " + cart + " did not answer after " + timeout);
        }
        Thread.sleep(200);
      }
    }
  }

  private void awaitCaughtUp(String url, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        long waiting = 0;
        for (JsonNode instance : probe.get(url + "/projections")) {
          waiting += instance.path("waitingEvents").asLong();
        }
        if (waiting == 0) {
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
