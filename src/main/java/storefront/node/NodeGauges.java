package storefront.node;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import common.DatabasePool;
import java.util.Arrays;
import java.util.List;
import metrics.ActiveEntities;
import metrics.ConnectionPools;
import storefront.node.ReadSideProjections.ReadSide;

/** The node's gauges of what it holds: entities, projections' lag, database connections. */
final class NodeGauges {
  private NodeGauges() {}

  static void start(
      ActorSystem<?> system, List<EntityTypeKey<?>> entityTypes, List<ReadSide> readSides) {
    ActiveEntities.start(system, entityTypes);
    ProjectionLag.start(system, readSides);
    ConnectionPools.register(
        system, Arrays.stream(DatabasePool.values()).map(DatabasePool::path).toList());
  }
}
