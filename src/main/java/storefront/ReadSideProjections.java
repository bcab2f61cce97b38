package storefront;

import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.japi.Pair;
import akka.persistence.query.Offset;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.r2dbc.query.javadsl.R2dbcReadJournal;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.SourceProvider;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcProjection;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Runs a read-side handler over one entity type's events as exactly-once projections, one per slice
 * range, spread over the cluster's nodes as a sharded daemon process (and moved to a survivor when
 * a node dies).
 */
final class ReadSideProjections {
  /** Slice ranges per projection; must divide 1024 and may only change with all of them stopped. */
  static final int INSTANCES = 4;

  private ReadSideProjections() {}

  static <E> void start(
      ActorSystem<?> system,
      String name,
      String entityType,
      Supplier<R2dbcHandler<EventEnvelope<E>>> handler) {
    List<Pair<Integer, Integer>> ranges =
        EventSourcedProvider.sliceRanges(system, R2dbcReadJournal.Identifier(), INSTANCES);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            INSTANCES,
            i ->
                ProjectionBehavior.create(
                    projection(system, name, entityType, ranges.get(i), handler)),
            ShardedDaemonProcessSettings.create(system),
            Optional.of(ProjectionBehavior.stopMessage()));
  }

  private static <E> akka.projection.Projection<EventEnvelope<E>> projection(
      ActorSystem<?> system,
      String name,
      String entityType,
      Pair<Integer, Integer> range,
      Supplier<R2dbcHandler<EventEnvelope<E>>> handler) {
    SourceProvider<Offset, EventEnvelope<E>> source =
        EventSourcedProvider.eventsBySlices(
            system, R2dbcReadJournal.Identifier(), entityType, range.first(), range.second());
    ProjectionId id =
        ProjectionId.of(name, entityType + "-" + range.first() + "-" + range.second());
    return R2dbcProjection.exactlyOnce(id, Optional.empty(), source, handler, system);
  }
}
