package storefront;

import akka.Done;
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
import akka.projection.r2dbc.javadsl.R2dbcSession;
import common.EntityDefaults;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a read-side handler over one entity type's events as exactly-once projections, one per slice
 * range, spread over the cluster's nodes as a sharded daemon process (and moved to a survivor when
 * a node dies).
 */
final class ReadSideProjections {
  private static final Logger log = LoggerFactory.getLogger(ReadSideProjections.class);

  /** Slice ranges per projection; must divide 1024 and may only change with all of them stopped. */
  static final int INSTANCES = 4;

  private ReadSideProjections() {}

  /** A running read side: its projection name, the entity type it follows and its slice ranges. */
  record ReadSide(String name, String entityType, List<Pair<Integer, Integer>> ranges) {
    String key(Pair<Integer, Integer> range) {
      return entityType + "-" + range.first() + "-" + range.second();
    }
  }

  static <E> ReadSide start(
      ActorSystem<?> system,
      String name,
      String entityType,
      Supplier<R2dbcHandler<EventEnvelope<E>>> handler) {
    List<Pair<Integer, Integer>> ranges =
        EventSourcedProvider.sliceRanges(system, R2dbcReadJournal.Identifier(), INSTANCES);
    ReadSide readSide = new ReadSide(name, entityType, ranges);
    ShardedDaemonProcess.get(system)
        .init(
            ProjectionBehavior.Command.class,
            name,
            INSTANCES,
            i -> ProjectionBehavior.create(projection(system, readSide, ranges.get(i), handler)),
            ShardedDaemonProcessSettings.create(system).withRole(EntityDefaults.NODE_ROLE),
            Optional.of(ProjectionBehavior.stopMessage()));
    return readSide;
  }

  private static <E> akka.projection.Projection<EventEnvelope<E>> projection(
      ActorSystem<?> system,
      ReadSide readSide,
      Pair<Integer, Integer> range,
      Supplier<R2dbcHandler<EventEnvelope<E>>> handler) {
    SourceProvider<Offset, EventEnvelope<E>> source =
        EventSourcedProvider.eventsBySlices(
            system,
            R2dbcReadJournal.Identifier(),
            readSide.entityType(),
            range.first(),
            range.second());
    ProjectionId id = ProjectionId.of(readSide.name(), readSide.key(range));
    return R2dbcProjection.exactlyOnce(
        id,
        Optional.empty(),
        source,
        () -> loggingFailures(readSide.name(), handler.get()),
        system);
  }

  /** The handler, logging the event it fails on with its persistence id and sequence number. */
  static <E> R2dbcHandler<EventEnvelope<E>> loggingFailures(
      String projection, R2dbcHandler<EventEnvelope<E>> handler) {
    return new LoggingFailures<>(projection, handler);
  }

  /** Names the event a handler failed on, so that a poison event can be found in the journal. */
  private static final class LoggingFailures<E> extends R2dbcHandler<EventEnvelope<E>> {
    private final String projection;
    private final R2dbcHandler<EventEnvelope<E>> handler;

    LoggingFailures(String projection, R2dbcHandler<EventEnvelope<E>> handler) {
      this.projection = projection;
      this.handler = handler;
    }

    @Override
    public CompletionStage<Done> process(R2dbcSession session, EventEnvelope<E> envelope)
        throws Exception {
      try {
        return handler
            .process(session, envelope)
            .whenComplete(
                (done, error) -> {
                  if (error != null) {
                    logFailure(envelope, error);
                  }
                });
      } catch (Exception e) {
        logFailure(envelope, e);
        throw e;
      }
    }

    private void logFailure(EventEnvelope<E> envelope, Throwable error) {
      log.error(
          "Projection {} failed on event {} of {} (seq_nr {}); it retries and never skips it",
          projection,
          envelope.event().getClass().getSimpleName(),
          envelope.persistenceId(),
          envelope.sequenceNr(),
          error);
    }
  }
}
