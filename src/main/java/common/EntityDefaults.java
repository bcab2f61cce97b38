package common;

import akka.actor.typed.BackoffSupervisorStrategy;
import akka.actor.typed.SupervisorStrategy;
import java.time.Duration;

/** What every event-sourced entity of the shop shares. */
public final class EntityDefaults {
  private EntityDefaults() {}

  /** A failed journal write restarts the entity, backing off; it recovers from the journal. */
  public static final BackoffSupervisorStrategy ON_PERSIST_FAILURE =
      SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.1);

  /**
   * Entities and read-side processes run only on members with this role (every node has it). A
   * member without it, such as the benchmark's load process, reaches them but hosts none.
   */
  public static final String NODE_ROLE = "shop";
}
