package storefront.tools.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.LocalCluster;

/**
 * What the nodes answer while their database fails: each live node is asked for the catalog (SQL,
 * 200 when served) and for an order that does not exist (the journal, 404 when served). Ask with an
 * operator's probe: operators may ask for any order, so the unknown one is a journal read and not a
 * 401.
 */
final class DatabaseProbes {
  private DatabaseProbes() {}

  /** The two answers of every live node, in pairs: catalog, order. */
  static List<CompletableFuture<Integer>> ask(LocalCluster cluster, NodeHttp operator) {
    List<CompletableFuture<Integer>> round = new ArrayList<>();
    for (int n = 1; n <= cluster.nodes(); n++) {
      if (cluster.alive(n)) {
        round.add(operator.statusAsync(cluster.url(n) + "/products?size=1"));
        round.add(operator.statusAsync(cluster.url(n) + "/orders/" + UUID.randomUUID()));
      }
    }
    return round;
  }

  /** Every node of the round served both: the catalog (200) and the unknown order (404). */
  static boolean servesAll(List<Integer> round) {
    for (int i = 0; i < round.size(); i += 2) {
      if (round.get(i) != 200 || round.get(i + 1) != 404) {
        return false;
      }
    }
    return true;
  }

  /** Asks until every live node serves both; false if that takes longer than the limit. */
  static boolean awaitServing(LocalCluster cluster, NodeHttp operator, Duration limit)
      throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!servesAll(ask(cluster, operator).stream().map(CompletableFuture::join).toList())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }
}
