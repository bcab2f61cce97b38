package order;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the events stored as {@code order.Order$StockReserved} as {@link Order.AllLinesReserved}:
 * the class was renamed, its fields were not. Bound in serialization.conf under the old name; new
 * events are written under the new name.
 */
public final class StockReservedMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return Order.AllLinesReserved.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
