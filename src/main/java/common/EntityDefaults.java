package common;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import akka.persistence.typed.javadsl.RetentionCriteria;
import java.time.Duration;

/** What every event-sourced entity of the shop shares. */
public final class EntityDefaults {
  private EntityDefaults() {}

  /** A failed journal write stops the entity; it starts again, backing off, from the journal. */
  public static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1);

  /** A snapshot every 100 events keeps recovery short for long-lived entities. */
  public static final RetentionCriteria RETENTION = RetentionCriteria.snapshotEvery(100);
}
