package storefront.tools.benchmark;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import cart.CartSettings;
import cart.ShoppingCart;
import catalog.SampleCatalog;
import catalog.Warehouse;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import inventory.InventorySettings;
import inventory.ProductStock;
import inventory.Stock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import order.Orders;
import storefront.node.NodeConfig;

/**
 * This JVM as a member of the shop's cluster without the shop role: it hosts no entity and no
 * projection, so what it sends to the entities is load from outside the nodes, and their cost stays
 * in the node processes where it is measured. Between its requests it costs the nodes only the
 * cluster's heartbeats and gossip.
 */
final class LoadMember implements AutoCloseable {
  static final String ROLE = "load";

  private final ActorSystem<Void> system;

  private LoadMember(ActorSystem<Void> system) {
    this.system = system;
  }

  /** Joins the cluster through the node on this remoting port and waits until it is Up. */
  static LoadMember join(int seedRemotePort, Duration timeout) throws InterruptedException {
    // Port 0: a free port above the nodes' ports, so that on an even split the Split Brain
    // Resolver keeps the nodes' side (the lowest address), never this member's. Log level ERROR:
    // leaving aborts its connections, and Akka warns of each.
    Config config =
        NodeConfig.load(
            ConfigFactory.parseString(
                "akka.cluster.roles = [\""
                    + ROLE
                    + "\"]\nakka.remote.artery.canonical.port = 0"
                    + "\nakka.cluster.seed-nodes = [\"akka://storefront@127.0.0.1:"
                    + seedRemotePort
                    + "\"]\nakka.loglevel = ERROR"
                    + "\nakka.coordinated-shutdown.exit-jvm = off"));
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "storefront", config);
    LoadMember member = new LoadMember(system);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (Cluster.get(system).selfMember().status() != MemberStatus.up()) {
      if (System.nanoTime() > deadline) {
        member.close();
        throw new IllegalStateException("the load member did not join the cluster in " + timeout);
      }
      Thread.sleep(100);
    }
    // Without the shop role these register proxies: the entities stay on the nodes.
    Duration ask = Duration.ofSeconds(10);
    ProductStock.init(system, InventorySettings.fromConfig(config.getConfig("storefront")));
    ShoppingCart.init(
        system, CartSettings.fromConfig(config.getConfig("storefront")), new Orders(system, ask));
    return member;
  }

  ActorSystem<Void> system() {
    return system;
  }

  /**
   * Gives every product of the sample catalog (26) these units in the region's warehouse, asking
   * the stock entities directly, as this member is in the cluster anyway.
   */
  void restockTheSampleCatalog(String region, int units, Duration limit) throws Exception {
    Stock stock = new Stock(system, Duration.ofSeconds(10));
    Warehouse warehouse =
        SampleCatalog.WAREHOUSES.stream()
            .filter(w -> w.region().equals(region))
            .findFirst()
            .orElseThrow();
    CompletableFuture.allOf(
            SampleCatalog.products().stream()
                .map(
                    product ->
                        stock
                            .restock(
                                product.productId(),
                                "benchmark",
                                warehouse.warehouseId(),
                                warehouse.region(),
                                units)
                            .toCompletableFuture())
                .toArray(CompletableFuture[]::new))
        .get(limit.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Leaves the cluster (coordinated shutdown) and returns once the actor system has stopped. */
  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the load member did not stop", e);
    }
  }

  @Override
  public String toString() {
    return "the load member";
  }
}
