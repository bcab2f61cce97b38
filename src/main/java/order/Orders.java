package order;

import akka.Done;
import akka.actor.typed.ActorSystem;
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
    return Order.entityRef(system, draft.orderId())
        .<Order.Reply>ask(replyTo -> new Order.Place(draft, replyTo), askTimeout)
        .thenApply(
            reply -> {
              if (reply instanceof Order.Rejected rejected) {
                throw rejected.rejection().asException();
              }
              return Done.getInstance();
            });
  }

  /** The order as it is now; fails with a not-found rejection for an unknown id. */
  public CompletionStage<Order.OrderView> get(String orderId) {
    return Order.entityRef(system, orderId)
        .<Order.Reply>ask(Order.Get::new, askTimeout)
        .thenApply(Orders::view);
  }

  /**
   * The order as soon as it has ended, or as it is when the wait is over (then a second ask: an
   * unavailable order still fails like {@link #get}).
   */
  public CompletionStage<Order.OrderView> whenEnded(String orderId, Duration wait) {
    return Order.entityRef(system, orderId)
        .<Order.Reply>ask(Order.AwaitEnd::new, wait)
        .thenApply(Orders::view)
        .exceptionallyCompose(
            error ->
                Failures.unwrapped(error) instanceof TimeoutException
                    ? get(orderId)
                    : CompletableFuture.failedStage(error));
  }

  private static Order.OrderView view(Order.Reply reply) {
    if (reply instanceof Order.Rejected rejected) {
      throw rejected.rejection().asException();
    }
    return (Order.OrderView) reply;
  }
}
