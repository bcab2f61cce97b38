package storefront.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.ClusterSecrets;

/**
 * Requests for carts, stock and orders spread over all shards, so that some of each lived on the
 * node about to die. After the kill they are sent again and again to a survivor until every one has
 * answered 200; the time that took, per kind, is what a shopper of that node waited.
 */
final class EntityProbes {
  private static final int PER_KIND = 20;
  private static final Duration ASK_AGAIN_AFTER = Duration.ofSeconds(1);

  private final Map<String, List<String>> pathsByKind;
  // Carts are asked by their shopper, orders by the operators (they are many shoppers').
  private final Map<String, NodeHttp> probesByKind;

  private EntityProbes(Map<String, List<String>> pathsByKind, Map<String, NodeHttp> probesByKind) {
    this.pathsByKind = pathsByKind;
    this.probesByKind = probesByKind;
  }

  /**
   * Registers a shopper and opens their carts, takes every product's stock and the last
   * acknowledged orders (as many of each as there are, up to twenty).
   */
  static EntityProbes prepare(
      String url, Path acknowledgedOrders, NodeHttp probe, ClusterSecrets secrets)
      throws IOException, InterruptedException {
    Map<String, List<String>> paths = new LinkedHashMap<>();
    NodeHttp shopper = probe.withToken(registerShopper(url, probe, secrets));
    paths.put("carts", openCarts(url, shopper));
    List<String> stock = new ArrayList<>();
    for (JsonNode product : probe.get(url + "/products?size=" + PER_KIND).path("items")) {
      stock.add("/inventory/" + product.path("productId").asText());
    }
    paths.put("stock", stock);
    List<String> orders = new ArrayList<>();
    if (Files.exists(acknowledgedOrders)) {
      // The workload is still appending: a line is only taken once it is whole.
      List<String> lines =
          Files.readAllLines(acknowledgedOrders).stream()
              .filter(line -> line.matches("[0-9a-f-]{36} [0-9a-f-]{36}"))
              .toList();
      for (String line : lines.subList(Math.max(0, lines.size() - PER_KIND), lines.size())) {
        orders.add("/orders/" + line.split(" ")[0]);
      }
    }
    if (!orders.isEmpty()) {
      paths.put("orders", orders);
    }
    return new EntityProbes(
        paths,
        Map.of("carts", shopper, "stock", probe, "orders", probe.withToken(secrets.adminToken())));
  }

  /**
   * Seconds from {@code sinceNanos} until every request of each kind answered 200 from the node. A
   * path is asked again once its attempt ended without a 200, and also every {@link
   * #ASK_AGAIN_AFTER} while an attempt is still open: a request sent to the dead node is lost and
   * only ends after the API's ask timeout (5 s), and waiting for it measured that timeout rather
   * than when the survivors answered again.
   */
  Map<String, Double> awaitAnswers(String url, long sinceNanos, Duration timeout)
      throws InterruptedException {
    Map<String, Double> answeredAfter = new LinkedHashMap<>();
    Map<String, List<String>> pending = new LinkedHashMap<>();
    pathsByKind.forEach((kind, paths) -> pending.put(kind, new ArrayList<>(paths)));
    Map<String, List<CompletableFuture<Integer>>> inFlight = new HashMap<>();
    Map<String, Long> lastAsked = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (answeredAfter.size() < pathsByKind.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("still unanswered after " + timeout + ": " + pending);
      }
      for (var kind : pending.entrySet()) {
        NodeHttp asker = probesByKind.get(kind.getKey());
        kind.getValue()
            .removeIf(
                path -> {
                  List<CompletableFuture<Integer>> attempts =
                      inFlight.computeIfAbsent(path, p -> new ArrayList<>());
                  boolean answered = attempts.stream().anyMatch(a -> a.isDone() && a.join() == 200);
                  attempts.removeIf(CompletableFuture::isDone);
                  if (answered) {
                    inFlight.remove(path);
                    return true;
                  }
                  long now = System.nanoTime();
                  if (attempts.isEmpty() || now - lastAsked.get(path) > ASK_AGAIN_AFTER.toNanos()) {
                    attempts.add(asker.statusAsync(url + path));
                    lastAsked.put(path, now);
                  }
                  return false;
                });
        if (kind.getValue().isEmpty() && !answeredAfter.containsKey(kind.getKey())) {
          answeredAfter.put(kind.getKey(), (System.nanoTime() - sinceNanos) / 1e9);
        }
      }
      Thread.sleep(100);
    }
    return answeredAfter;
  }

  /** A new user of the first region, signed in: their token. */
  static String registerShopper(String url, NodeHttp probe, ClusterSecrets secrets)
      throws IOException, InterruptedException {
    String region =
        probe
            .withToken(secrets.adminToken())
            .get(url + "/users?size=1")
            .path("items")
            .get(0)
            .path("region")
            .asText();
    return registerShopper(url, probe, secrets, region);
  }

  /** A new user of the region, signed in: their token. */
  static String registerShopper(String url, NodeHttp probe, ClusterSecrets secrets, String region)
      throws IOException, InterruptedException {
    JsonNode user =
        probe.post(
            url + "/users",
            "{\"name\":\"Chaos Probe\",\"email\":\"chaos-probe-"
                + UUID.randomUUID()
                + "@example.com\",\"password\":\""
                + secrets.shopperPassword()
                + "\",\"region\":\""
                + region
                + "\"}");
    return user.path("token").asText();
  }

  /**
   * Carts of the shopper, each given up once opened: a user has one active cart, and a given-up
   * cart answers from its entity as an active one does.
   */
  static List<String> openCarts(String url, NodeHttp shopper)
      throws IOException, InterruptedException {
    List<String> carts = new ArrayList<>();
    for (int i = 0; i < PER_KIND; i++) {
      try {
        String cart = "/carts/" + shopper.post(url + "/carts", "{}").path("cartId").asText();
        carts.add(cart);
        if (shopper.delete(url + cart) != 200) {
          break; // the next open would answer this cart again
        }
      } catch (IOException e) {
        // a shard still moving after the last restart: probe with the carts that did open
      }
    }
    return carts;
  }
}
