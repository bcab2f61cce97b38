package live;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import live.LiveEvent.StockLevel;

/**
 * The one subscriber of a node to the cluster-wide topic, which hands each event to the node's
 * stream clients that want it. One subscription per node, not one per client: the topic sends each
 * event to each node once, however many clients it has. A client is an actor-backed source with a
 * bounded buffer (LiveUpdates); telling it never waits, so a slow client slows nobody.
 *
 * <p>The hub remembers the last stock level it handed on per product and gives a new client of
 * those products that level at once. A client reads its products' current levels from the read side
 * as it subscribes; a level published (just before its batch commits) after that read but before
 * the hub knew of the client would otherwise reach the client only with the next change. The last
 * level published is never older than the committed one, so the client ends on the newest.
 */
final class LiveHub {
  /** Products whose last level is remembered, the least recently published forgotten first. */
  private static final int REMEMBERED_LEVELS = 50_000;

  sealed interface Command {}

  record Subscribe(ActorRef<LiveEvent> client, Interest interest) implements Command {}

  private record Delivered(LiveEvent event) implements Command {}

  private LiveHub() {}

  static Behavior<Command> create(ActorRef<Topic.Command<LiveEvent>> topic) {
    return Behaviors.setup(
        context -> {
          topic.tell(Topic.subscribe(context.messageAdapter(LiveEvent.class, Delivered::new)));
          Map<ActorRef<LiveEvent>, Interest> clients = new HashMap<>();
          Map<UUID, StockLevel> lastLevels = lastLevels();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Subscribe.class,
                  subscribe -> {
                    clients.put(subscribe.client(), subscribe.interest());
                    context.watch(subscribe.client());
                    if (subscribe.interest() instanceof Interest.Products products) {
                      products.productIds().stream()
                          .map(lastLevels::get)
                          .filter(Objects::nonNull)
                          .forEach(subscribe.client()::tell);
                    }
                    return Behaviors.same();
                  })
              .onMessage(
                  Delivered.class,
                  delivered -> {
                    if (delivered.event() instanceof StockLevel level) {
                      lastLevels.remove(level.productId());
                      lastLevels.put(level.productId(), level);
                    }
                    clients.forEach(
                        (client, interest) -> {
                          if (interest.wants(delivered.event())) {
                            client.tell(delivered.event());
                          }
                        });
                    return Behaviors.same();
                  })
              .onSignal(
                  Terminated.class,
                  terminated -> {
                    clients.remove(terminated.getRef());
                    return Behaviors.same();
                  })
              .build();
        });
  }

  /** In the order of their last publication, bounded to {@link #REMEMBERED_LEVELS}. */
  private static Map<UUID, StockLevel> lastLevels() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<UUID, StockLevel> eldest) {
        return size() > REMEMBERED_LEVELS;
      }
    };
  }
}
