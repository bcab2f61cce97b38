package order;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.Asks;
import common.Failures;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/** Asks the sharded Order entities from anywhere in the cluster. */
public final class Orders implements OrderPlacement {
  private final ActorSystem<?> system;
  private final Duration askTimeout;

  public Orders(ActorSystem<?> system, Duration askTimeout) {
    this.system = system;
    this.askTimeout = askTimeout;
  }

  @Override
  public CompletionStage<Done> place(OrderDraft draft) {
    CompletionStage<Order.OrderView> placed =
        Asks.ask(
            Order.entityRef(system, draft.orderId()),
            replyTo -> new Order.Place(draft, replyTo),
            askTimeout);
    return placed.thenApply(view -> Done.getInstance());
  }

  /** The order as it is now; fails with a not-found rejection for an unknown id. */
  public CompletionStage<Order.OrderView> get(String orderId) {
    return Asks.ask(Order.entityRef(system, orderId), Order.Get::new, askTimeout);
  }

  /**
   * The order as soon as it has ended, or as it is when the wait is over (then a second ask: an
   * unavailable order still fails like {@link #get}).
   */
  public CompletionStage<Order.OrderView> whenEnded(String orderId, Duration wait) {
    return Asks.ask(Order.entityRef(system, orderId), Order.AwaitEnd::new, wait)
        .exceptionallyCompose(
            error ->
                Failures.unwrapped(error) instanceof TimeoutException
                    ? get(orderId)
                    : CompletableFuture.failedStage(error));
  }
}
