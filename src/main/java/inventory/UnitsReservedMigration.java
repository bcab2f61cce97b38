package inventory;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the events stored as {@code inventory.ProductStock$StockReserved} (version 1) as {@link
 * ProductStock.UnitsReserved}, the same fields under a name that is not also an order's event.
 * Bound in serialization.conf under the old name. Inside a {@link ProductStock.StockChanged} a
 * change is stored by its type name ("reserved"), not its class, so those need nothing.
 */
public final class UnitsReservedMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return ProductStock.UnitsReserved.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
