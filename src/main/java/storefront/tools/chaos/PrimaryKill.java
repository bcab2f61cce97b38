package storefront.tools.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.LocalCluster;
import storefront.tools.workload.RequestCounts;
import storefront.tools.workload.WorkloadCommand;

/**
 * Kills the replicated database's primary with kill -9 under load. Every node is asked for the
 * catalog (SQL) and for an order (the journal) throughout: until the standby is promoted each must
 * answer, with 503 where it needs the database, never 500 and never not at all; then every node
 * must serve both again by itself. The killed data node then rejoins as the new standby, so that
 * commits are replicated again before the run goes on. Whether anything acknowledged was lost is
 * the audit's to say, at the end of the run.
 */
final class PrimaryKill {
  private static final Duration LIMIT = Duration.ofMinutes(2);

  /** What a node may answer while the database fails over: served, not found, or 503. */
  private static final Set<Integer> CLEAN = Set.of(200, 404, 503);

  private PrimaryKill() {}

  /**
   * Which data node was killed; seconds after the kill until the monitor had promoted the other,
   * until every node served both requests again, and until the killed one was the standby again;
   * what the nodes answered meanwhile (status → count, -1 no answer in time); and the workload's
   * requests from the kill until every node served.
   */
  record Result(
      String killedDataNode,
      double promotedAfter,
      double servingAfter,
      double standbyBackAfter,
      Map<Integer, Long> answersDuring,
      RequestCounts requests) {
    boolean passed() {
      return promotedAfter >= 0
          && servingAfter >= 0
          && standbyBackAfter >= 0
          && CLEAN.containsAll(answersDuring.keySet());
    }
  }

  static Result run(LocalCluster cluster, NodeHttp anonymous, WorkloadCommand shopping)
      throws Exception {
    NodeHttp probe = anonymous.withToken(cluster.secrets().adminToken());
    RequestCounts before = shopping.requestCounts();
    long killedAt = System.nanoTime();
    String killed = cluster.killDatabasePrimary();
    System.out.println("Killed the database's primary (data node " + killed + ").");
    long deadline = killedAt + LIMIT.toNanos();
    // Watched apart from the probes, whose rounds can wait seconds for a node.
    CompletableFuture<Double> promotion =
        CompletableFuture.supplyAsync(() -> awaitPromotion(cluster, killed, killedAt, deadline));
    Map<Integer, Long> answers = new TreeMap<>();
    double serving = -1;
    while (serving < 0 && System.nanoTime() < deadline) {
      List<Integer> round =
          DatabaseProbes.ask(cluster, probe).stream().map(CompletableFuture::join).toList();
      round.forEach(status -> answers.merge(status, 1L, Long::sum));
      if (promotion.isDone() && promotion.join() >= 0 && DatabaseProbes.servesAll(round)) {
        serving = seconds(killedAt);
      }
      Thread.sleep(250);
    }
    double promoted = promotion.join();
    RequestCounts requests = shopping.requestCounts().since(before);
    cluster.startDatabase();
    double standbyBack = seconds(killedAt);
    System.out.printf(
        "Database primary killed: standby promoted after %.1f s; every node served again after"
            + " %.1f s (answers meanwhile %s); data node %s back as the standby after %.1f s.%n",
        promoted, serving, answers, killed, standbyBack);
    return new Result(killed, promoted, serving, standbyBack, answers, requests);
  }

  /** Seconds after the kill until the monitor names another primary; -1 if not by the deadline. */
  private static double awaitPromotion(
      LocalCluster cluster, String killed, long killedAt, long deadline) {
    try {
      while (System.nanoTime() < deadline) {
        if (cluster.databasePrimary().filter(primary -> !primary.equals(killed)).isPresent()) {
          return seconds(killedAt);
        }
        Thread.sleep(100);
      }
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
