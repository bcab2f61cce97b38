package storefront;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import cart.StalledCheckouts;
import common.EntityDefaults;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import order.UnfinishedOrders;

/**
 * Wakes checkouts that stopped moving because the node running them died: unfinished orders,
 * checked-out carts without an order, and ended orders whose cart was not told. Entities only run
 * when asked, so without this an order caught by a crash would wait for its shopper to look at it.
 * One instance in the cluster (a sharded daemon process of one), moved to a survivor when its node
 * dies.
 */
final class StalledProcesses {
  private static final Duration EVERY = Duration.ofSeconds(5);
  private static final Duration IDLE = Duration.ofSeconds(10);
  private static final int BATCH = 500;

  private enum Tick {
    INSTANCE
  }

  private StalledProcesses() {}

  static void start(ActorSystem<?> system, Duration askTimeout) {
    UnfinishedOrders orders = new UnfinishedOrders(system);
    StalledCheckouts carts = new StalledCheckouts(system);
    ShardedDaemonProcess.get(system)
        .init(
            Tick.class,
            "stalled-processes",
            1,
            i -> sweeper(orders, carts, askTimeout),
            ShardedDaemonProcessSettings.create(system).withRole(EntityDefaults.NODE_ROLE),
            Optional.empty());
  }

  private static Behavior<Tick> sweeper(
      UnfinishedOrders orders, StalledCheckouts carts, Duration askTimeout) {
    return Behaviors.withTimers(
        timers -> {
          timers.startTimerWithFixedDelay(Tick.INSTANCE, EVERY);
          return Behaviors.receive(Tick.class)
              .onMessage(
                  Tick.class,
                  tick -> {
                    wakeAll(orders.idleFor(IDLE, BATCH), id -> orders.wake(id, askTimeout));
                    wakeAll(carts.unplaced(IDLE, BATCH), id -> carts.wakeCart(id, askTimeout));
                    wakeAll(carts.untold(IDLE, BATCH), id -> carts.wakeOrder(id, askTimeout));
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** Fire and forget: a wake that fails is tried again on the next tick. */
  private static void wakeAll(CompletionStage<List<String>> ids, Function<String, ?> wake) {
    ids.thenAccept(found -> found.forEach(wake::apply));
  }
}
