package inventory;

import akka.actor.typed.ActorSystem;
import common.Asks;
import common.Stalled;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Restocks planned after a sell-out that are overdue, from the read side. The product applies its
 * plan on a timer; when its node died during the delay, nothing runs it until asked, and waking it
 * re-arms the timer from its recovered state, which fires at once.
 */
public final class DueRestocks {
  private final ActorSystem<?> system;

  public DueRestocks(ActorSystem<?> system) {
    this.system = system;
  }

  /** Products with a restock due longer ago than this, after the cursor, longest overdue first. */
  public CompletionStage<List<Stalled>> overdueBy(Duration grace, Stalled after, int limit) {
    return Stalled.page(
        system,
        "SELECT product_id AS id, due_at AS updated_at FROM planned_restocks"
            + " WHERE due_at < now() - $1 * interval '1 second'"
            + " AND (due_at, product_id) > ($2, $3)"
            + " ORDER BY due_at, product_id LIMIT $4",
        grace,
        after,
        limit);
  }

  /** Wakes the product: its recovery arms the timer of the restock it planned. */
  public CompletionStage<ProductStock.StockView> wake(String productId, Duration timeout) {
    return Asks.ask(ProductStock.entityRef(system, productId), ProductStock.GetStock::new, timeout);
  }
}
