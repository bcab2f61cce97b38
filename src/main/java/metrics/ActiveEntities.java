package metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.ClusterShardingQuery;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.micrometer.core.instrument.Gauge;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * storefront.entities.active: the entities of each type in this node's shards, as the node's shard
 * region reports them when polled.
 */
public final class ActiveEntities {
  private ActiveEntities() {}

  public static void start(ActorSystem<?> system, List<EntityTypeKey<?>> types) {
    for (EntityTypeKey<?> type : types) {
      AtomicLong active = new AtomicLong();
      Gauge.builder("storefront.entities.active", active, AtomicLong::get)
          .description("Entities in memory in this node's shards")
          .tag("type", type.name())
          .strongReference(true)
          .register(NodeMetrics.get(system).registry());
      Poller.every(
          system,
          "the " + type.name() + " shard region",
          () ->
              AskPattern.<ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
                      ClusterSharding.get(system).shardState(),
                      replyTo -> new GetShardRegionState(type, replyTo),
                      Poller.INTERVAL,
                      system.scheduler())
                  .thenAccept(state -> active.set(count(state))));
    }
  }

  private static long count(ShardRegion.CurrentShardRegionState state) {
    return state.getShards().stream().mapToLong(shard -> shard.getEntityIds().size()).sum();
  }
}
