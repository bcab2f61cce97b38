package live;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import java.util.HashMap;
import java.util.Map;

/**
 * The one subscriber of a node to the cluster-wide topic, which hands each event to the node's
 * stream clients that want it. One subscription per node, not one per client: the topic sends each
 * event to each node once, however many clients it has. A client is an actor-backed source with a
 * bounded buffer (LiveUpdates); telling it never waits, so a slow client slows nobody.
 */
final class LiveHub {
  sealed interface Command {}

  record Subscribe(ActorRef<LiveEvent> client, Interest interest) implements Command {}

  private record Delivered(LiveEvent event) implements Command {}

  private LiveHub() {}

  static Behavior<Command> create(ActorRef<Topic.Command<LiveEvent>> topic) {
    return Behaviors.setup(
        context -> {
          topic.tell(Topic.subscribe(context.messageAdapter(LiveEvent.class, Delivered::new)));
          Map<ActorRef<LiveEvent>, Interest> clients = new HashMap<>();
          return Behaviors.receive(Command.class)
              .onMessage(
                  Subscribe.class,
                  subscribe -> {
                    clients.put(subscribe.client(), subscribe.interest());
                    context.watch(subscribe.client());
                    return Behaviors.same();
                  })
              .onMessage(
                  Delivered.class,
                  delivered -> {
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
}
