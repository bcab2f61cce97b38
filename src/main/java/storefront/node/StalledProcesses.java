package storefront.node;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import cart.StalledCheckouts;
import common.EntityDefaults;
import inventory.DueRestocks;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import order.UnfinishedOrders;

/**
 * Wakes checkouts that stopped moving because the node running them died: unfinished orders,
 * completed orders not shipped, checked-out carts without an order, and ended orders whose cart was
 * not told; expires active carts left unchanged past the carts' expiry; and wakes products whose
 * restock after a sell-out is overdue. Entities only run when asked, so without this an order
 * caught by a crash would wait for its shopper to look at it. One instance in the cluster (a
 * sharded daemon process of one), moved to a survivor when its node dies.
 */
final class StalledProcesses {
  private static final Duration PAUSE = Duration.ofSeconds(5);
  private static final Duration IDLE = Duration.ofSeconds(10);
  // A planned restock is the product's own timer's job; the sweep only steps in after this.
  private static final Duration RESTOCK_GRACE = Duration.ofSeconds(2);
  private static final int PAGE = 500;
  // Asks in flight per kind: a few hundred stalled processes after a crash wake within seconds
  // without flooding the entities that are serving shoppers.
  private static final int IN_FLIGHT = 16;

  private enum Message {
    SWEEP,
    SWEPT
  }

  private StalledProcesses() {}

  static void start(ActorSystem<?> system, Duration askTimeout, Duration cartExpiry) {
    UnfinishedOrders orders = new UnfinishedOrders(system);
    StalledCheckouts carts = new StalledCheckouts(system);
    UnplacedCheckouts unplaced = new UnplacedCheckouts(system);
    DueRestocks restocks = new DueRestocks(system);
    List<StalledSweep> sweeps =
        List.of(
            new StalledSweep(
                "unfinished orders",
                (after, size) -> orders.idleFor(IDLE, after, size),
                id -> orders.wake(id, askTimeout),
                PAGE,
                IN_FLIGHT),
            new StalledSweep(
                "completed orders not shipped",
                (after, size) -> orders.unshippedFor(IDLE, after, size),
                id -> orders.wake(id, askTimeout),
                PAGE,
                IN_FLIGHT),
            new StalledSweep(
                "carts without an order",
                (after, size) -> unplaced.idleFor(IDLE, after, size),
                id -> carts.wakeCart(id, askTimeout),
                PAGE,
                IN_FLIGHT),
            new StalledSweep(
                "ended orders whose cart was not told",
                (after, size) -> orders.untoldFor(IDLE, after, size),
                id -> orders.wake(id, askTimeout),
                PAGE,
                IN_FLIGHT),
            new StalledSweep(
                "carts past their expiry",
                (after, size) -> carts.expired(cartExpiry, after, size),
                id -> carts.expire(id, askTimeout),
                PAGE,
                IN_FLIGHT),
            new StalledSweep(
                "overdue restocks after a sell-out",
                (after, size) -> restocks.overdueBy(RESTOCK_GRACE, after, size),
                id -> restocks.wake(id, askTimeout),
                PAGE,
                IN_FLIGHT));
    ShardedDaemonProcess.get(system)
        .init(
            Message.class,
            "stalled-processes",
            1,
            i -> sweeper(sweeps),
            ShardedDaemonProcessSettings.create(system).withRole(EntityDefaults.NODE_ROLE),
            Optional.empty());
  }

  /** Sweeps every kind, then pauses; a sweep never overlaps the one before it. */
  private static Behavior<Message> sweeper(List<StalledSweep> sweeps) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startSingleTimer(Message.SWEEP, PAUSE);
                  return Behaviors.receive(Message.class)
                      .onMessageEquals(
                          Message.SWEEP,
                          () -> {
                            CompletionStage<Done> all =
                                CompletableFuture.completedFuture(Done.getInstance());
                            for (StalledSweep sweep : sweeps) {
                              all = all.thenCompose(d -> sweep.next(context.getSystem()));
                            }
                            context.pipeToSelf(all, (d, error) -> Message.SWEPT);
                            return Behaviors.same();
                          })
                      .onMessageEquals(
                          Message.SWEPT,
                          () -> {
                            timers.startSingleTimer(Message.SWEEP, PAUSE);
                            return Behaviors.same();
                          })
                      .build();
                }));
  }
}
