package storefront.tools.chaos;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.LocalCluster;

/**
 * Takes the database away under the running nodes for a while and brings it back: every node is
 * asked for the catalog (SQL) and for a cart (the journal) throughout, and must answer 503 while
 * the database is away and succeed again on its own after it is back.
 */
final class DatabaseOutage {
  private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(2);

  private DatabaseOutage() {}

  /**
   * What the nodes answered during the outage (status → count; -1 is no answer in time), and how
   * long after the restart every node served both requests again.
   */
  record Result(double seconds, Map<Integer, Long> answersDuring, double recoveredAfter) {
    /** The nodes refused cleanly with 503 while the database was away, and came back. */
    boolean passed() {
      return !answersDuring.isEmpty()
          && answersDuring.keySet().stream().allMatch(status -> status == 503)
          && recoveredAfter >= 0;
    }
  }

  static Result run(LocalCluster cluster, Duration outage, NodeHttp anonymous) throws Exception {
    NodeHttp probe = anonymous.withToken(cluster.secrets().adminToken());
    cluster.stopDatabase();
    long stoppedAt = System.nanoTime();
    System.out.println("Database stopped for " + outage.toSeconds() + " s.");
    Map<Integer, Long> answers = new TreeMap<>();
    long deadline = stoppedAt + outage.toNanos();
    while (System.nanoTime() < deadline) {
      List<CompletableFuture<Integer>> round = DatabaseProbes.ask(cluster, probe);
      try {
        CompletableFuture.allOf(round.toArray(CompletableFuture[]::new))
            .get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        break; // answers still out when the database comes back would not be "during"
      }
      round.forEach(answer -> answers.merge(answer.join(), 1L, Long::sum));
      Thread.sleep(250);
    }
    double seconds = (System.nanoTime() - stoppedAt) / 1e9;
    cluster.startDatabase();
    long restartedAt = System.nanoTime();
    double recoveredAfter =
        DatabaseProbes.awaitServing(cluster, probe, RECOVERY_LIMIT)
            ? (System.nanoTime() - restartedAt) / 1e9
            : -1;
    System.out.printf(
        "Database back after %.1f s; nodes answered %s meanwhile; all serve again %.1f s later.%n",
        seconds, answers, recoveredAfter);
    return new Result(seconds, answers, recoveredAfter);
  }
}
