package storefront;

import akka.actor.typed.ActorSystem;
import cart.ActiveCart;
import cart.ShoppingCart;
import common.DatabasePool;
import inventory.ProductStock;
import java.util.Arrays;
import java.util.List;
import metrics.ActiveEntities;
import metrics.ConnectionPools;
import order.Order;
import storefront.ReadSideProjections.ReadSide;

/** The node's gauges of what it holds: entities, projections' lag, database connections. */
final class NodeGauges {
  private NodeGauges() {}

  static void start(ActorSystem<?> system, List<ReadSide> readSides) {
    ActiveEntities.start(
        system,
        List.of(
            ShoppingCart.ENTITY_KEY,
            ActiveCart.ENTITY_KEY,
            Order.ENTITY_KEY,
            ProductStock.ENTITY_KEY));
    ProjectionLag.start(system, readSides);
    ConnectionPools.register(
        system, Arrays.stream(DatabasePool.values()).map(DatabasePool::path).toList());
  }
}
