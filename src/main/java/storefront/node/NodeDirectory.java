package storefront.node;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import common.CborSerializable;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import metrics.NodeMetrics;
import order.OrderMetrics;

/**
 * Where each node of the cluster serves HTTP. Membership knows nodes by their remoting address
 * only; the console needs their web address to follow the cluster when the node it uses dies, so
 * every node registers a small actor that tells its own.
 */
final class NodeDirectory {
  private static final ServiceKey<Ask> KEY = ServiceKey.create(Ask.class, "storefront-node-card");

  /** What a node tells about itself: where it serves, and the orders it has ended so far. */
  record Card(String address, String httpUrl, OrdersEnded orders) implements CborSerializable {}

  /** Orders ended on the node since it started, by outcome (its storefront.orders counters). */
  record OrdersEnded(long completed, long canceled) implements CborSerializable {}

  record Ask(ActorRef<Card> replyTo) implements CborSerializable {}

  private final ActorSystem<?> system;
  private final Duration timeout;

  NodeDirectory(ActorSystem<?> system, Duration timeout) {
    this.system = system;
    this.timeout = timeout;
  }

  /** Tells the other nodes where this one serves HTTP, once it does. */
  void register(String httpUrl) {
    MeterRegistry registry = NodeMetrics.get(system).registry();
    Behavior<Ask> teller =
        Behaviors.setup(
            context -> {
              context
                  .getSystem()
                  .receptionist()
                  .tell(Receptionist.register(KEY, context.getSelf()));
              return Behaviors.receive(Ask.class)
                  .onMessage(
                      Ask.class,
                      ask -> {
                        ask.replyTo()
                            .tell(
                                new Card(
                                    system.address().toString(),
                                    httpUrl,
                                    new OrdersEnded(
                                        OrderMetrics.completedSoFar(registry),
                                        OrderMetrics.canceledSoFar(registry))));
                        return Behaviors.same();
                      })
                  .build();
            });
    system.systemActorOf(teller, "node-card", Props.empty());
  }

  /**
   * Each reachable node's card by its remoting address; a node that does not answer is left out,
   * and every node when the receptionist itself does not answer in time.
   */
  CompletionStage<Map<String, Card>> cards() {
    return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
            system.receptionist(),
            replyTo -> Receptionist.find(KEY, replyTo),
            timeout,
            system.scheduler())
        .thenCompose(
            listing -> {
              List<CompletableFuture<Card>> cards =
                  listing.getServiceInstances(KEY).stream()
                      .map(teller -> cardOf(teller).toCompletableFuture())
                      .toList();
              return CompletableFuture.allOf(cards.toArray(CompletableFuture[]::new))
                  .handle(
                      (done, error) ->
                          cards.stream()
                              .filter(card -> card.isDone() && !card.isCompletedExceptionally())
                              .map(CompletableFuture::join)
                              .collect(Collectors.toMap(Card::address, card -> card, (a, b) -> b)));
            })
        .exceptionally(noListing -> Map.of());
  }

  private CompletionStage<Card> cardOf(ActorRef<Ask> teller) {
    return AskPattern.ask(teller, Ask::new, timeout, system.scheduler());
  }
}
