package storefront.tools.chaos;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import storefront.node.DatabaseClient;
import storefront.tools.JournalEvent;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.LocalCluster;

/**
 * Cuts one node off from the others under load for a while, then joins it again (see {@link
 * storefront.tools.cluster.RemotingRelay}). Meanwhile twenty shoppers write to a cart each through
 * both sides at once: the cut-off node (the minority) and a node of the majority. Each side adds
 * its own products, each write under its own Idempotency-Key.
 *
 * <p>Split-brain resolution must stop the minority and down it on the majority, and no cart may
 * have accepted writes on both sides at once. Three independent witnesses say whether one did: the
 * acknowledgements (the majority acknowledged a write before the minority accepted a later one),
 * the journal (in sequence order, a write sent to the majority followed by one sent to the
 * minority) and the nodes' logs (a journal write refused by the (persistence_id, seq_nr) key, which
 * a second live writer runs into). Afterwards every write that was not acknowledged is sent again
 * with its key until it is, and each cart must then hold exactly one unit per write: nothing
 * acknowledged lost, nothing applied twice.
 */
final class Partition {
  private static final int CARTS = 20;

  /**
   * Each side adds one unit per second to each cart, cycling through its own products; a line holds
   * at most 10 units and a cart 50 lines, so 20 products a side allow a 200 s cut.
   */
  private static final int PRODUCTS_PER_SIDE = 20;

  static final Duration LONGEST = Duration.ofSeconds(10L * PRODUCTS_PER_SIDE);
  private static final Duration RESOLVE_LIMIT = Duration.ofMinutes(2);

  /** How a write ended: its status (-1: no answer in time), and when. */
  private record Outcome(int status, long at) {}

  /** One add of one unit, sent to one side. */
  private record Write(
      String cartId,
      boolean minority,
      String productId,
      String key,
      long sentAt,
      CompletableFuture<Outcome> outcome) {
    boolean acknowledged() {
      return outcome.isDone() && outcome.join().status() / 100 == 2;
    }
  }

  /** What the partition showed; times in seconds after the cut. */
  record Result(
      int node,
      double seconds,
      double minorityExitedAfter,
      double majorityDownedItAfter,
      boolean survivorsStayedUp,
      int cartsWrittenOnMinority,
      double lastWriteOnMinorityAfter,
      int cartsHandedOver,
      double firstHandedOverWriteAfter,
      int writes,
      int acknowledgedDuringCut,
      int unresolved,
      List<String> twoWriters,
      List<String> lostOrDoubled,
      long refusedJournalWrites) {
    boolean passed() {
      return minorityExitedAfter >= 0
          && majorityDownedItAfter >= 0
          && survivorsStayedUp
          && cartsWrittenOnMinority > 0
          && unresolved == 0
          && twoWriters.isEmpty()
          && lostOrDoubled.isEmpty()
          && refusedJournalWrites == 0;
    }
  }

  private final LocalCluster cluster;
  // Each cart is its own shopper's: a user has one active cart.
  private final Map<String, NodeHttp> ownerOf;
  private final int victim;
  private final int majority;
  private final List<String> carts;
  private final List<String> products;
  private final List<Write> writes = new ArrayList<>();

  private Partition(
      LocalCluster cluster,
      Map<String, NodeHttp> ownerOf,
      int victim,
      int majority,
      List<String> products) {
    this.cluster = cluster;
    this.ownerOf = ownerOf;
    this.victim = victim;
    this.majority = majority;
    this.carts = List.copyOf(ownerOf.keySet());
    this.products = products;
  }

  /**
   * The carts to write to, each a new shopper's (a user has one active cart), by id with their
   * shopper. Opened before the run's schedule starts: registering a shopper costs the node a
   * password hash, twenty of them tens of seconds on a loaded machine, which the schedule does not
   * plan for. They are of another region than the workload's, which signs in its region's users and
   * would otherwise shop in these carts.
   */
  static Map<String, NodeHttp> openCarts(
      LocalCluster cluster, NodeHttp probe, String workloadRegion) throws Exception {
    String url = cluster.url(1);
    String region = null;
    for (JsonNode user :
        probe
            .withToken(cluster.secrets().adminToken())
            .get(url + "/users?size=100")
            .path("items")) {
      if (!user.path("region").asText().equals(workloadRegion)) {
        region = user.path("region").asText();
        break;
      }
    }
    if (region == null) {
      throw new IllegalStateException("the partition needs users of a region nobody shops in");
    }
    Map<String, NodeHttp> ownerOf = new LinkedHashMap<>();
    for (int i = 0; i < CARTS; i++) {
      NodeHttp shopper =
          probe.withToken(EntityProbes.registerShopper(url, probe, cluster.secrets(), region));
      try {
        ownerOf.put(shopper.post(url + "/carts", "{}").path("cartId").asText(), shopper);
      } catch (IOException e) {
        // a shard still moving: write to the carts that did open
      }
    }
    return ownerOf;
  }

  /** Cuts a random node off for the length, writing to the carts (see {@link #openCarts}). */
  static Result run(
      LocalCluster cluster, Duration length, NodeHttp probe, Map<String, NodeHttp> ownerOf)
      throws Exception {
    int victim = 1 + ThreadLocalRandom.current().nextInt(cluster.nodes());
    int majority = victim == 1 ? 2 : 1;
    String url = cluster.url(majority);
    List<String> products = new ArrayList<>();
    for (JsonNode product :
        probe.get(url + "/products?size=" + 2 * PRODUCTS_PER_SIDE).path("items")) {
      products.add(product.path("productId").asText());
    }
    if (ownerOf.isEmpty() || products.size() < 2 * PRODUCTS_PER_SIDE) {
      throw new IllegalStateException(
          "the partition needs carts and " + 2 * PRODUCTS_PER_SIDE + " products to write");
    }
    return new Partition(cluster, ownerOf, victim, majority, products).cut(length);
  }

  private Result cut(Duration length) throws Exception {
    Map<Integer, Long> logSeen = new HashMap<>();
    for (int n = 1; n <= cluster.nodes(); n++) {
      logSeen.put(n, Files.size(cluster.log("node-" + n)));
    }
    long cutAt = System.nanoTime();
    cluster.isolate(victim);
    System.out.printf("Node %d cut off from the others for %d s.%n", victim, length.toSeconds());
    double exitedAfter = -1;
    double downedAfter = -1;
    int round = 0;
    while (System.nanoTime() - cutAt < length.toNanos()) {
      for (String cart : carts) {
        write(cart, true, round);
        write(cart, false, round);
      }
      round++;
      Thread.sleep(1000);
      if (exitedAfter < 0 && !cluster.alive(victim)) {
        exitedAfter = seconds(cutAt);
      }
      if (downedAfter < 0 && cluster.membersUpSeenBy(majority) == cluster.nodes() - 1) {
        downedAfter = seconds(cutAt);
      }
    }
    boolean survivorsUp = survivorsAlive();
    // Taken before the heal: what the journal holds from before it was written during the cut.
    Instant healedAt = Instant.now();
    cluster.heal();
    double healedAfter = seconds(cutAt);
    CompletableFuture.allOf(writes.stream().map(Write::outcome).toArray(CompletableFuture[]::new))
        .join();
    int acknowledgedDuringCut = (int) writes.stream().filter(Write::acknowledged).count();
    if (cluster.alive(victim)) {
      System.out.printf("Node %d did not stop itself while cut off; killing it.%n", victim);
      cluster.kill(victim);
    }
    System.out.printf(
        "Healed after %.1f s: node %d's process had exited after %s s, the majority downed it after"
            + " %s s; %d of %d writes acknowledged meanwhile.%n",
        healedAfter,
        victim,
        seconds(exitedAfter),
        seconds(downedAfter),
        acknowledgedDuringCut,
        writes.size());
    cluster.startNode(victim);
    cluster.awaitReady(victim, Duration.ofMinutes(2));
    cluster.awaitMembersUp(cluster.nodes(), Duration.ofMinutes(2));
    int unresolved = resendUnacknowledged();

    Map<String, List<Write>> byCart = writes.stream().collect(Collectors.groupingBy(Write::cartId));
    List<String> twoWriters = new ArrayList<>();
    int writtenOnMinority = 0;
    int handedOver = 0;
    long lastOnMinority = Long.MIN_VALUE;
    long firstHandedOver = Long.MAX_VALUE;
    Map<String, List<Boolean>> journalSides = journalSides(healedAt);
    for (var cart : byCart.entrySet()) {
      List<Write> writesOfCart = cart.getValue();
      boolean minoritySide = writesOfCart.stream().anyMatch(w -> w.minority() && w.acknowledged());
      boolean majoritySide = writesOfCart.stream().anyMatch(w -> !w.minority() && w.acknowledged());
      writtenOnMinority += minoritySide ? 1 : 0;
      handedOver += minoritySide && majoritySide ? 1 : 0;
      lastOnMinority = Math.max(lastOnMinority, lastAcknowledged(writesOfCart, true));
      if (minoritySide) {
        firstHandedOver = Math.min(firstHandedOver, firstAcknowledged(writesOfCart, false));
      }
      if (acknowledgedOutOfTurn(writesOfCart) || majorityThenMinority(journalSides, cart)) {
        twoWriters.add(cart.getKey());
      }
    }
    List<String> lostOrDoubled = lostOrDoubled(byCart);
    long refused = refusedJournalWrites(logSeen);
    Result result =
        new Result(
            victim,
            healedAfter,
            exitedAfter,
            downedAfter,
            survivorsUp,
            writtenOnMinority,
            secondsBetween(cutAt, lastOnMinority),
            handedOver,
            secondsBetween(cutAt, firstHandedOver),
            writes.size(),
            acknowledgedDuringCut,
            unresolved,
            twoWriters,
            lostOrDoubled,
            refused);
    System.out.printf(
        "Partition: %d carts written on the cut-off node (its last write acknowledged after %s"
            + " s), %d of them later on the majority (the first after %s s); on both sides at"
            + " once: %s; lost or doubled after resending: %s; refused journal writes: %d: %s.%n",
        writtenOnMinority,
        seconds(result.lastWriteOnMinorityAfter()),
        handedOver,
        seconds(result.firstHandedOverWriteAfter()),
        twoWriters.isEmpty() ? "none" : twoWriters,
        lostOrDoubled.isEmpty() ? "none" : lostOrDoubled,
        refused,
        result.passed() ? "passed" : "FAILED");
    return result;
  }

  /** Adds one unit of this side's product for the round to the cart, through its side's node. */
  private void write(String cart, boolean minority, int round) {
    String productId = products.get((minority ? 0 : PRODUCTS_PER_SIDE) + round % PRODUCTS_PER_SIDE);
    String key = UUID.randomUUID().toString();
    String url = cluster.url(minority ? victim : majority);
    writes.add(
        new Write(
            cart,
            minority,
            productId,
            key,
            System.nanoTime(),
            ownerOf
                .get(cart)
                .postAsync(url + "/carts/" + cart + "/items", body(productId), key)
                .thenApply(status -> new Outcome(status, System.nanoTime()))));
  }

  /**
   * The majority acknowledged a write of the cart before the minority accepted a later one: both
   * sides had a live writer for it.
   */
  private static boolean acknowledgedOutOfTurn(List<Write> writesOfCart) {
    long firstMajorityAck = firstAcknowledged(writesOfCart, false);
    return writesOfCart.stream()
        .anyMatch(w -> w.minority() && w.acknowledged() && w.sentAt() > firstMajorityAck);
  }

  /** When the side's first acknowledgement came (Long.MAX_VALUE: none). */
  private static long firstAcknowledged(List<Write> writesOfCart, boolean minority) {
    return acknowledgedAt(writesOfCart, minority).min().orElse(Long.MAX_VALUE);
  }

  /** When the side's last acknowledgement came (Long.MIN_VALUE: none). */
  private static long lastAcknowledged(List<Write> writesOfCart, boolean minority) {
    return acknowledgedAt(writesOfCart, minority).max().orElse(Long.MIN_VALUE);
  }

  private static LongStream acknowledgedAt(List<Write> writesOfCart, boolean minority) {
    return writesOfCart.stream()
        .filter(w -> w.minority() == minority && w.acknowledged())
        .mapToLong(w -> w.outcome().join().at());
  }

  /** Seconds from one nanoTime to another; -1 when the second never came. */
  private static double secondsBetween(long from, long to) {
    return to == Long.MAX_VALUE || to == Long.MIN_VALUE ? -1 : (to - from) / 1e9;
  }

  /** In the journal's order, a write sent to the majority followed by one sent to the minority. */
  private static boolean majorityThenMinority(
      Map<String, List<Boolean>> journalSides, Map.Entry<String, List<Write>> cart) {
    boolean majoritySeen = false;
    for (boolean minority : journalSides.getOrDefault(cart.getKey(), List.of())) {
      if (!minority) {
        majoritySeen = true;
      } else if (majoritySeen) {
        return true;
      }
    }
    return false;
  }

  /** Sends every write that was not acknowledged again, with its key, to the majority node. */
  private int resendUnacknowledged() throws InterruptedException {
    List<Write> open = new ArrayList<>(writes.stream().filter(w -> !w.acknowledged()).toList());
    long deadline = System.nanoTime() + RESOLVE_LIMIT.toNanos();
    while (!open.isEmpty() && System.nanoTime() < deadline) {
      open.removeIf(
          w ->
              ownerOf
                          .get(w.cartId())
                          .postAsync(
                              cluster.url(majority) + "/carts/" + w.cartId() + "/items",
                              body(w.productId()),
                              w.key())
                          .join()
                      / 100
                  == 2);
      if (!open.isEmpty()) {
        Thread.sleep(500);
      }
    }
    return open.size();
  }

  /** Carts whose lines are not one unit per write sent (each write now applied once). */
  private List<String> lostOrDoubled(Map<String, List<Write>> byCart)
      throws IOException, InterruptedException {
    List<String> wrong = new ArrayList<>();
    for (var cart : byCart.entrySet()) {
      Map<String, Integer> expected = new HashMap<>();
      cart.getValue().forEach(w -> expected.merge(w.productId(), 1, Integer::sum));
      Map<String, Integer> held = new HashMap<>();
      for (JsonNode line :
          ownerOf
              .get(cart.getKey())
              .get(cluster.url(majority) + "/carts/" + cart.getKey())
              .path("items")) {
        held.put(line.path("productId").asText(), line.path("quantity").asInt());
      }
      if (!held.equals(expected)) {
        wrong.add(cart.getKey() + " holds " + held + ", written " + expected);
      }
    }
    return wrong;
  }

  /**
   * Per cart, the side each request written to its journal before the heal was sent to, in sequence
   * order (from the Idempotency-Key each write's RequestAccepted event keeps).
   */
  private Map<String, List<Boolean>> journalSides(Instant healedAt) {
    Map<String, Boolean> sideByKey = new HashMap<>();
    writes.forEach(w -> sideByKey.put(w.key(), w.minority()));
    Map<String, List<Boolean>> sides = new HashMap<>();
    try (DatabaseClient database = cluster.databaseClient("partition")) {
      ActorSystem<Void> system = database.system();
      for (String cart : carts) {
        List<JournalEvent> events =
            R2dbcSession.withSession(
                    system,
                    session ->
                        session.select(
                            session
                                .createStatement(
                                    "SELECT event_ser_manifest, event_payload"
                                        + " FROM event_journal WHERE persistence_id = $1"
                                        + " AND db_timestamp < $2 ORDER BY seq_nr")
                                .bind(0, "ShoppingCart|" + cart)
                                .bind(1, OffsetDateTime.ofInstant(healedAt, ZoneOffset.UTC)),
                            row ->
                                JournalEvent.of(
                                    row.get("event_ser_manifest", String.class),
                                    row.get("event_payload", byte[].class))))
                .toCompletableFuture()
                .join();
        List<Boolean> cartSides = new ArrayList<>();
        for (JournalEvent event : events) {
          String key = event.payload().path("key").asText();
          if (event.name().equals("RequestAccepted") && sideByKey.containsKey(key)) {
            cartSides.add(sideByKey.get(key));
          }
        }
        sides.put(cart, cartSides);
      }
    }
    return sides;
  }

  /** Journal writes the nodes logged as refused by the journal's key since the cut. */
  private long refusedJournalWrites(Map<Integer, Long> logSeen) throws IOException {
    long refused = 0;
    for (var node : logSeen.entrySet()) {
      String log = Files.readString(cluster.log("node-" + node.getKey()));
      refused +=
          log.substring((int) Math.min(node.getValue(), log.length()))
              .lines()
              .filter(line -> line.contains("duplicate key value violates unique constraint"))
              .count();
    }
    return refused;
  }

  private boolean survivorsAlive() {
    for (int n = 1; n <= cluster.nodes(); n++) {
      if (n != victim && !cluster.alive(n)) {
        return false;
      }
    }
    return cluster.membersUpSeenBy(majority) == cluster.nodes() - 1;
  }

  private static String body(String productId) {
    return "{\"productId\":\"" + productId + "\",\"quantity\":1}";
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }

  private static String seconds(double value) {
    return value < 0 ? "never" : String.format("%.1f", value);
  }
}
