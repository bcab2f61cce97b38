package cart;

import akka.serialization.jackson.JacksonMigration;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the events stored as {@code cart.ShoppingCart$CheckedOutEvent}, the name of {@link
 * ShoppingCart.CartCheckedOut} until version 2, as the renamed class: the fields are the same.
 * Bound in serialization.conf under the old name; new events are stored under the new one.
 */
public final class CartCheckedOutMigration extends JacksonMigration {

  @Override
  public int currentVersion() {
    return 2;
  }

  @Override
  public String transformClassName(int fromVersion, String className) {
    return ShoppingCart.CartCheckedOut.class.getName();
  }

  @Override
  public JsonNode transform(int fromVersion, JsonNode json) {
    return json;
  }
}
