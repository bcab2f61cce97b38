package order;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads {@link Order.CancellationStarted} events of every version as the current one. Bound in
 * serialization.conf; new events are written with the manifest {@code
 * order.Order$CancellationStarted#2}, those of version 1 have no version in theirs.
 *
 * <p>Version 1 had no cause. It was written only when a line's stock refused its reservation (a
 * declined payment cancels an order without this event), and the only refusal an order could meet
 * was too few units, so every version-1 event is given the cause {@code out_of_stock}.
 */
public final class CancellationStartedMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    if (fromVersion < 2 && json instanceof ObjectNode event && !event.has("cause")) {
      // The stored name of Order.CancelCause.OUT_OF_STOCK.
      event.put("cause", "out_of_stock");
    }
    return json;
  }
}
