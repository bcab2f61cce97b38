package metrics;

import akka.actor.typed.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a poll every few seconds, for gauges that read what the poll stored: a scrape must not wait
 * on an actor or the database. A poll still running when the next is due is not started twice.
 */
public final class Poller {
  /** How often gauges are brought up to date; Prometheus scrapes every 15 s by default. */
  public static final Duration INTERVAL = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private Poller() {}

  public static void every(ActorSystem<?> system, String what, Supplier<CompletionStage<?>> poll) {
    every(system, what, INTERVAL, poll);
  }

  public static void every(
      ActorSystem<?> system, String what, Duration interval, Supplier<CompletionStage<?>> poll) {
    AtomicBoolean running = new AtomicBoolean();
    system
        .scheduler()
        .scheduleWithFixedDelay(
            Duration.ZERO,
            interval,
            () -> {
              if (running.compareAndSet(false, true)) {
                started(poll)
                    .whenComplete(
                        (value, error) -> {
                          running.set(false);
                          if (error != null) {
                            log.debug("Polling {} failed: {}", what, error.toString());
                          }
                        });
              }
            },
            system.executionContext());
  }

  /**
   * The poll's stage; a poll that throws instead of failing its stage must not stop the polling.
   */
  private static CompletionStage<?> started(Supplier<CompletionStage<?>> poll) {
    try {
      return poll.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
