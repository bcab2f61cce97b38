package live;

import akka.NotUsed;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.pubsub.Topic;
import akka.stream.BufferOverflowException;
import akka.stream.OverflowStrategy;
import akka.stream.javadsl.Source;
import akka.stream.typed.javadsl.ActorSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream of one node. The read sides publish what they have just written to a cluster-wide
 * pub-sub topic (Akka's {@link Topic}); each node's hub hands it to the node's clients.
 *
 * <p>Fed from the read side, not from the entities: a read-side batch publishes one stock level per
 * product however many reservations it held (a hot product's entity writes thousands a second), the
 * entities' write path does no extra work, and a client sees the values the SQL tables hold.
 * Published while the batch's transaction is still open: a batch that then fails to commit runs
 * again and publishes again, so a client may see a value twice, never a value that is not stored in
 * the end. The cost is the read side's lag: tens of milliseconds when events reach the projections
 * over pub-sub, up to the journal's poll interval (300 ms) when not.
 *
 * <p>Each client has a buffer of {@link LiveSettings#clientBuffer()} events (256); a client that
 * falls that far behind is disconnected (its stream fails, the response ends) rather than slowing
 * anyone, and reconnects with Last-Event-ID (LiveStreams).
 */
public final class LiveUpdates {
  private static final Logger log = LoggerFactory.getLogger(LiveUpdates.class);

  private final ActorRef<Topic.Command<LiveEvent>> topic;
  private final ActorRef<LiveHub.Command> hub;
  private final LiveSettings settings;

  private LiveUpdates(
      ActorRef<Topic.Command<LiveEvent>> topic,
      ActorRef<LiveHub.Command> hub,
      LiveSettings settings) {
    this.topic = topic;
    this.hub = hub;
    this.settings = settings;
  }

  /** Joins the cluster-wide topic from this node. */
  public static LiveUpdates start(ActorSystem<?> system, LiveSettings settings) {
    ActorRef<Topic.Command<LiveEvent>> topic =
        system.systemActorOf(
            Topic.create(LiveEvent.class, "live-updates"), "live-topic", Props.empty());
    ActorRef<LiveHub.Command> hub =
        system.systemActorOf(LiveHub.create(topic), "live-hub", Props.empty());
    return new LiveUpdates(topic, hub, settings);
  }

  LiveSettings settings() {
    return settings;
  }

  /** Publishes to every node's clients that want it. */
  public void publish(LiveEvent event) {
    topic.tell(Topic.publish(event));
  }

  /** This node's events for one client, from now on; ends the client's stream when it lags. */
  public Source<LiveEvent, NotUsed> subscribe(Interest interest) {
    return ActorSource.<LiveEvent>actorRef(
            event -> false,
            event -> Optional.empty(),
            settings.clientBuffer(),
            OverflowStrategy.fail())
        .mapMaterializedValue(
            client -> {
              hub.tell(new LiveHub.Subscribe(client, interest));
              return NotUsed.getInstance();
            })
        .watchTermination(
            (notUsed, ended) -> {
              ended.whenComplete(
                  (done, error) -> {
                    if (error instanceof BufferOverflowException) {
                      log.info(
                          "A live-stream client fell {} events behind and was disconnected",
                          settings.clientBuffer());
                    }
                  });
              return notUsed;
            });
  }
}
