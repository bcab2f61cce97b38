package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.query.Sequence;
import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import akka.projection.ProjectionBehavior;
import akka.projection.ProjectionId;
import akka.projection.r2dbc.javadsl.R2dbcHandler;
import akka.projection.r2dbc.javadsl.R2dbcProjection;
import akka.projection.testkit.javadsl.TestSourceProvider;
import akka.stream.javadsl.Source;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import storefront.TestDatabase;

/**
 * A read-side handler that fails on a batch of events is run again with the node's recovery
 * settings (the instance restarts from its stored offset): the batch's events are logged with their
 * persistence id and sequence number, then processed, never skipped, and every event is written
 * exactly once.
 */
class ProjectionRetryTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("ProjectionRetryTest");
    R2dbcSession.withSession(
            testKit.system(),
            session ->
                session.select(
                    session.createStatement(
                        "CREATE TABLE IF NOT EXISTS projection_retry_test"
                            + " (persistence_id TEXT, seq_nr BIGINT, PRIMARY KEY (persistence_id, seq_nr))"),
                    row -> row))
        .toCompletableFuture()
        .join();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** Writes each event's id; fails the first two times it sees a batch with sequence number 3. */
  private static final class FlakyHandler extends R2dbcHandler<List<EventEnvelope<String>>> {
    final AtomicInteger failuresLeft = new AtomicInteger(2);

    @Override
    public CompletionStage<Done> process(
        akka.projection.r2dbc.javadsl.R2dbcSession session, List<EventEnvelope<String>> envelopes) {
      if (envelopes.stream().anyMatch(e -> e.sequenceNr() == 3)
          && failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("cannot project a batch with event-3");
      }
      List<Statement> inserts =
          envelopes.stream()
              .map(
                  envelope ->
                      session
                          .createStatement(
                              "INSERT INTO projection_retry_test (persistence_id, seq_nr)"
                                  + " VALUES ($1, $2)")
                          .bind(0, envelope.persistenceId())
                          .bind(1, envelope.sequenceNr()))
              .toList();
      return session.update(inserts).thenApply(rows -> Done.getInstance());
    }
  }

  private static List<Long> written(String persistenceId) {
    return R2dbcSession.withSession(
            testKit.system(),
            session ->
                session.select(
                    session
                        .createStatement(
                            "SELECT seq_nr FROM projection_retry_test WHERE persistence_id = $1"
                                + " ORDER BY seq_nr")
                        .bind(0, persistenceId),
                    row -> row.get(0, Long.class)))
        .toCompletableFuture()
        .join();
  }

  @Test
  void aFailingEventIsLoggedRetriedAndNeverSkipped() throws InterruptedException {
    String persistenceId = "Test|" + UUID.randomUUID();
    List<EventEnvelope<String>> envelopes =
        IntStream.rangeClosed(1, 5)
            .mapToObj(
                seqNr ->
                    EventEnvelope.create(
                        Sequence.apply(seqNr),
                        persistenceId,
                        seqNr,
                        "event-" + seqNr,
                        System.currentTimeMillis(),
                        "Test",
                        0))
            .toList();
    // A restarted instance asks its source again from the stored offset.
    TestSourceProvider<Long, EventEnvelope<String>> source =
        TestSourceProvider.create(Source.from(envelopes), EventEnvelope::sequenceNr)
            .withStartSourceFrom((stored, offset) -> offset <= stored);
    FlakyHandler handler = new FlakyHandler();
    var projection =
        R2dbcProjection.groupedWithin(
            ProjectionId.of("retry-test", persistenceId),
            Optional.empty(),
            source,
            () -> ReadSideProjections.loggingFailures("retry-test", handler),
            testKit.system());

    Logger logger = (Logger) LoggerFactory.getLogger(ReadSideProjections.class);
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    logger.addAppender(logged);
    // Run as the node runs it: under the node's recovery strategy and restart back-off.
    var running = testKit.spawn(ProjectionBehavior.create(projection));
    try {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!written(persistenceId).equals(List.of(1L, 2L, 3L, 4L, 5L))) {
        assertTrue(
            System.currentTimeMillis() < deadline,
            "every event written within 20 s: " + written(persistenceId));
        Thread.sleep(100);
      }
    } finally {
      testKit.stop(running);
      logger.detachAppender(logged);
    }
    assertEquals(-1, handler.failuresLeft.get(), "failed twice, then succeeded");
    List<String> failureLogs =
        logged.list.stream()
            .map(ILoggingEvent::getFormattedMessage)
            .filter(m -> m.contains("failed"))
            .toList();
    assertEquals(2, failureLogs.size(), "one log per failed attempt: " + failureLogs);
    assertTrue(
        failureLogs.stream().allMatch(m -> m.contains(persistenceId + " (seq_nr 3)")),
        "each names the failing batch's event by persistence id and seq_nr: " + failureLogs);
  }
}
