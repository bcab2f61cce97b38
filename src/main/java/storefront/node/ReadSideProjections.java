package storefront.node;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import akka.japi.Pair;
import akka.persistence.query.Offset;
import akka.persistence.query.typed.EventEnvelope;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.eventsourced.javadsl.EventSourcedProvider;
import akka.projection.javadsl.SourceProvider;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcProjection;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import cart.CartReadSideHandler;
import cart.ShoppingCart;
import common.DatabasePool;
import common.EntityDefaults;
import common.Failures;
import inventory.InventoryReadSideHandler;
import inventory.ProductStock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import live.LiveUpdates;
import order.Order;
import order.OrderReadSideHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a read-side handler over one entity type's events as grouped exactly-once projections, one
 * per slice range, spread over the cluster's nodes as a sharded daemon process (and moved to a
 * survivor when a node dies). The handler gets the events that arrived together (see
 * akka.projection.grouped in persistence.conf) and writes them and their offsets in one
 * transaction.
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

  /** The shop's three read sides: orders, carts and inventory, each as its own projection. */
  static List<ReadSide> startAll(ActorSystem<?> system, LiveUpdates live) {
    return List.of(
        start(
            system,
            "order-read-side",
            Order.ENTITY_KEY.name(),
            () -> new OrderReadSideHandler(live)),
        start(system, "cart-read-side", ShoppingCart.ENTITY_KEY.name(), CartReadSideHandler::new),
        start(
            system,
            "inventory-read-side",
            ProductStock.ENTITY_KEY.name(),
            () -> new InventoryReadSideHandler(live)));
  }

  static <E> ReadSide start(
      ActorSystem<?> system,
      String name,
      String entityType,
      Supplier<R2dbcHandler<List<EventEnvelope<E>>>> handler) {
    List<Pair<Integer, Integer>> ranges =
        EventSourcedProvider.sliceRanges(system, DatabasePool.PROJECTION_EVENTS, INSTANCES);
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
      Supplier<R2dbcHandler<List<EventEnvelope<E>>>> handler) {
    SourceProvider<Offset, EventEnvelope<E>> source =
        EventSourcedProvider.eventsBySlices(
            system,
            DatabasePool.PROJECTION_EVENTS,
            readSide.entityType(),
            range.first(),
            range.second());
    ProjectionId id = ProjectionId.of(readSide.name(), readSide.key(range));
    return R2dbcProjection.groupedWithin(
        id,
        Optional.empty(),
        source,
        () -> loggingFailures(readSide.name(), handler.get()),
        system);
  }

  /** The handler, logging the events of a batch it fails on (persistence id and seq_nr). */
  static <E> R2dbcHandler<List<EventEnvelope<E>>> loggingFailures(
      String projection, R2dbcHandler<List<EventEnvelope<E>>> handler) {
    return new LoggingFailures<>(projection, handler);
  }

  /** Names the events a handler failed on, so that a poison event can be found in the journal. */
  private static final class LoggingFailures<E> extends R2dbcHandler<List<EventEnvelope<E>>> {
    /** A batch names at most this many of its events. */
    private static final int NAMED = 20;

    private final String projection;
    private final R2dbcHandler<List<EventEnvelope<E>>> handler;

    LoggingFailures(String projection, R2dbcHandler<List<EventEnvelope<E>>> handler) {
      this.projection = projection;
      this.handler = handler;
    }

    @Override
    public CompletionStage<Done> process(R2dbcSession session, List<EventEnvelope<E>> envelopes)
        throws Exception {
      try {
        return handler
            .process(session, envelopes)
            .whenComplete(
                (done, error) -> {
                  if (error != null) {
                    logFailure(envelopes, error);
                  }
                });
      } catch (Exception e) {
        logFailure(envelopes, e);
        throw e;
      }
    }

    private void logFailure(List<EventEnvelope<E>> envelopes, Throwable error) {
      if (DatabasePool.rolledBackForConflict(error)) {
        // Routine on CockroachDB under contention: nothing was written, the batch runs again.
        log.warn(
            "Projection {}: the database rolled back a batch of {} events for a conflict ({});"
                + " the projection restarts from its stored offset and writes it again",
            projection,
            envelopes.size(),
            Failures.unwrapped(error).getMessage());
        return;
      }
      String events =
          envelopes.stream()
              .limit(NAMED)
              .map(
                  e ->
                      e.event().getClass().getSimpleName()
                          + " of "
                          + e.persistenceId()
                          + " (seq_nr "
                          + e.sequenceNr()
                          + ")")
              .collect(Collectors.joining(", "));
      log.error(
          "Projection {} failed on a batch of {} events: {}{}; it retries and never skips them",
          projection,
          envelopes.size(),
          events,
          envelopes.size() > NAMED ? ", ..." : "",
          error);
    }
  }
}
