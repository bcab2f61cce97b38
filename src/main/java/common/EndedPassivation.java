package common;

import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.ActorContext;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;

/**
 * Lets an entity that has ended leave memory after a short idle time (storefront.ended-entity-idle)
 * instead of sharding's ten minutes: at 150 orders a second the node would otherwise hold 90,000
 * ended carts and as many orders. Asked again, it recovers from the journal in milliseconds.
 *
 * @param <C> the entity's command type; idleMessage is sent to it when the idle time is over
 */
public final class EndedPassivation<C> {
  private final Duration idle;
  private final ActorContext<C> context;
  private final ActorRef<ClusterSharding.ShardCommand> shard;
  private final C idleMessage;

  /** The shard is null where the entity runs outside sharding (entity tests): nothing happens. */
  public EndedPassivation(
      Duration idle,
      ActorContext<C> context,
      ActorRef<ClusterSharding.ShardCommand> shard,
      C idleMessage) {
    this.idle = idle;
    this.context = context;
    this.shard = shard;
    this.idleMessage = idleMessage;
  }

  /** From now on, the idle message comes once nothing arrived for the idle time. */
  public void whenIdle() {
    if (shard != null) {
      context.setReceiveTimeout(idle, idleMessage);
    }
  }

  /** Called on the idle message: the shard stops the entity, buffering what arrives meanwhile. */
  public void passivate() {
    if (shard != null) {
      shard.tell(new ClusterSharding.Passivate<>(context.getSelf()));
    }
  }
}
