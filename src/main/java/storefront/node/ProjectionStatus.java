package storefront.node;

import akka.actor.typed.ActorSystem;
import akka.japi.Pair;
import common.DatabasePool;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import storefront.node.ReadSideProjections.ReadSide;

/**
 * How far each projection instance is: the lag between an event and its row over the last minute
 * (from the offset store's own timestamps), and how many journal events wait for it.
 */
final class ProjectionStatus {
  private final ActorSystem<?> system;
  private final List<ReadSide> readSides;

  /** One projection instance (one slice range of one read side). */
  record Instance(
      String projection,
      String key,
      String state,
      long waitingEvents,
      Double oldestWaitingEventAgeMs,
      Instant lastEventProcessedAt,
      long eventsLastMinute,
      Double lagP50Ms,
      Double lagP99Ms,
      Double lagMaxMs) {}

  /** The offset store's time window: within it, it keeps every entity's newest offset. */
  private final String window;

  ProjectionStatus(ActorSystem<?> system, List<ReadSide> readSides) {
    this.system = system;
    this.readSides = readSides;
    this.window =
        system
                .settings()
                .config()
                .getDuration("akka.projection.r2dbc.offset-store.time-window")
                .toSeconds()
            + " seconds";
  }

  CompletionStage<List<Instance>> all() {
    List<CompletableFuture<Instance>> instances = new ArrayList<>();
    for (ReadSide readSide : readSides) {
      for (Pair<Integer, Integer> range : readSide.ranges()) {
        instances.add(instance(readSide, range).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(instances.toArray(CompletableFuture[]::new))
        .thenApply(done -> instances.stream().map(CompletableFuture::join).toList());
  }

  /** Offsets the instance stored: the newest, and the lag of those stored in the last minute. */
  private record Offsets(
      OffsetDateTime newest, long lastMinute, Double p50Ms, Double p99Ms, Double maxMs) {}

  private static final String OFFSETS =
      "SELECT max(timestamp_offset) AS newest, count(*) FILTER (WHERE recent) AS last_minute,"
          + " percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms) FILTER (WHERE recent) AS p50,"
          + " percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) FILTER (WHERE recent) AS p99,"
          + " max(lag_ms) FILTER (WHERE recent) AS max_lag"
          + " FROM (SELECT timestamp_offset,"
          + "   EXTRACT(EPOCH FROM timestamp_consumed - timestamp_offset) * 1000 AS lag_ms,"
          + "   timestamp_consumed > now() - interval '1 minute' AS recent"
          + "   FROM akka_projection_timestamp_offset_store"
          + "   WHERE projection_name = $1 AND projection_key = $2) AS offsets";

  private static final String PAUSED =
      "SELECT paused FROM akka_projection_management"
          + " WHERE projection_name = $1 AND projection_key = $2";

  /**
   * Events not yet processed, and how long ago the oldest of them was written: per entity that
   * wrote within the offset store's time window, its events after the newest sequence number the
   * projection stored. Exact, unlike comparing timestamps, because events of different entities are
   * not written in time order.
   */
  private static final String WAITING =
      "SELECT count(*)::bigint AS waiting,"
          + " EXTRACT(EPOCH FROM now() - min(e.db_timestamp)) * 1000 AS oldest_age_ms"
          + " FROM event_journal e"
          + " LEFT JOIN (SELECT persistence_id, max(seq_nr) AS max_seq"
          + "   FROM akka_projection_timestamp_offset_store"
          + "   WHERE projection_name = $4 AND projection_key = $5 GROUP BY persistence_id) AS o"
          + " ON o.persistence_id = e.persistence_id"
          + " WHERE e.entity_type = $1 AND e.slice BETWEEN $2 AND $3"
          + " AND e.db_timestamp > now() - $6::interval"
          + " AND (o.max_seq IS NULL OR e.seq_nr > o.max_seq)";

  /** What waits for an instance. */
  private record Waiting(long events, Double oldestAgeMs) {}

  private CompletionStage<Instance> instance(ReadSide readSide, Pair<Integer, Integer> range) {
    String key = readSide.key(range);
    return DatabasePool.OPERATOR_QUERIES.withSession(
        system,
        session ->
            session
                .selectOne(
                    session.createStatement(OFFSETS).bind(0, readSide.name()).bind(1, key),
                    row ->
                        new Offsets(
                            row.get("newest", OffsetDateTime.class),
                            row.get("last_minute", Long.class),
                            row.get("p50", Double.class),
                            row.get("p99", Double.class),
                            row.get("max_lag", Double.class)))
                .thenCompose(
                    offsets ->
                        session
                            .selectOne(
                                session
                                    .createStatement(PAUSED)
                                    .bind(0, readSide.name())
                                    .bind(1, key),
                                row -> row.get("paused", Boolean.class))
                            .thenCompose(
                                paused ->
                                    session
                                        .selectOne(
                                            session
                                                .createStatement(WAITING)
                                                .bind(0, readSide.entityType())
                                                .bind(1, range.first())
                                                .bind(2, range.second())
                                                .bind(3, readSide.name())
                                                .bind(4, key)
                                                .bind(5, window),
                                            row ->
                                                new Waiting(
                                                    row.get("waiting", Long.class),
                                                    row.get("oldest_age_ms", Double.class)))
                                        .thenApply(
                                            waiting ->
                                                instance(
                                                    readSide.name(),
                                                    key,
                                                    offsets.orElseThrow(),
                                                    paused.orElse(false),
                                                    waiting.orElseThrow())))));
  }

  private static Instance instance(
      String projection, String key, Offsets offsets, boolean paused, Waiting waiting) {
    String state = paused ? "paused" : waiting.events() == 0 ? "up-to-date" : "catching-up";
    return new Instance(
        projection,
        key,
        state,
        waiting.events(),
        waiting.oldestAgeMs(),
        offsets.newest() == null ? null : offsets.newest().toInstant(),
        offsets.lastMinute(),
        offsets.p50Ms(),
        offsets.p99Ms(),
        offsets.maxMs());
  }
}
