package order;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Orders that have not ended and have not moved for a while, from the read side. An order whose
 * node died is not running anywhere until something asks for it; waking it lets it resume its step.
 */
public final class UnfinishedOrders {
  private final ActorSystem<?> system;

  public UnfinishedOrders(ActorSystem<?> system) {
    this.system = system;
  }

  public CompletionStage<List<String>> idleFor(Duration idle, int limit) {
    return R2dbcSession.withSession(
        system,
        session ->
            session.select(
                session
                    .createStatement(
                        "SELECT order_id FROM orders WHERE order_status NOT IN ('completed',"
                            + " 'canceled') AND updated_at < now() - make_interval(secs => $1)"
                            + " ORDER BY updated_at LIMIT $2")
                    .bind(0, (double) idle.toMillis() / 1000)
                    .bind(1, limit),
                row -> row.get("order_id", UUID.class).toString()));
  }

  /** Wakes the order: its recovery starts the step it waits for. */
  public CompletionStage<Order.Reply> wake(String orderId, Duration timeout) {
    return Order.entityRef(system, orderId).ask(Order.Get::new, timeout);
  }
}
