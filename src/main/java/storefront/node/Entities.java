package storefront.node;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import cart.ActiveCart;
import cart.CartOrderOutcomes;
import cart.CartSettings;
import cart.ShardedCarts;
import cart.ShoppingCart;
import com.typesafe.config.Config;
import inventory.InventorySettings;
import inventory.ProductStock;
import inventory.Stock;
import java.time.Duration;
import java.util.List;
import order.Order;
import order.OrderSettings;
import order.Orders;
import order.ShardedStockReservations;
import order.SimulatedCarrier;
import order.payment.SimulatedPaymentGateway;

/**
 * The sharded entities of a node, each given what it asks of the others, and the facades the HTTP
 * API asks them through.
 */
record Entities(Stock stock, Orders orders, Duration cartExpiry) {

  /** The sharded entity types, as the metrics and the console count them. */
  static final List<EntityTypeKey<?>> TYPES =
      List.of(
          ShoppingCart.ENTITY_KEY,
          ActiveCart.ENTITY_KEY,
          Order.ENTITY_KEY,
          ProductStock.ENTITY_KEY);

  static Entities start(ActorSystem<?> system, Config storefront, Duration askTimeout) {
    OrderSettings orderSettings = OrderSettings.fromConfig(storefront);
    Orders orders = new Orders(system, orderSettings.stepTimeout());
    ProductStock.init(system, InventorySettings.fromConfig(storefront));
    Order.init(
        system,
        orderSettings,
        new ShardedStockReservations(system, orderSettings.stepTimeout()),
        SimulatedPaymentGateway.fromConfig(system, storefront),
        SimulatedCarrier.fromConfig(system, storefront),
        new CartOrderOutcomes(system, orderSettings.stepTimeout()));
    CartSettings cartSettings = CartSettings.fromConfig(storefront);
    ShoppingCart.init(system, cartSettings, orders);
    ActiveCart.init(system, new ShardedCarts(system, askTimeout));
    return new Entities(new Stock(system, askTimeout), orders, cartSettings.expireAfter());
  }
}
