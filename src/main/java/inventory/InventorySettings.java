package inventory;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What a product does about its own stock level: the restock that follows a sell-out (its delay and
 * quantity; a quantity of 0 turns it off) and the level at or below which it warns of low stock (0
 * turns the warning off).
 */
public record InventorySettings(
    Duration restockAfterSellOutDelay, int restockAfterSellOutQuantity, int lowStockThreshold) {

  public InventorySettings {
    if (restockAfterSellOutDelay.isNegative()
        || restockAfterSellOutQuantity < 0
        || lowStockThreshold < 0) {
      throw new IllegalArgumentException(
          "storefront.inventory: the delay, quantity and threshold must not be negative");
    }
  }

  public static InventorySettings fromConfig(Config storefront) {
    Config inventory = storefront.getConfig("inventory");
    return new InventorySettings(
        inventory.getDuration("restock-after-sell-out.delay"),
        inventory.getInt("restock-after-sell-out.quantity"),
        inventory.getInt("low-stock-threshold"));
  }

  boolean restocksAfterSellOut() {
    return restockAfterSellOutQuantity > 0;
  }
}
