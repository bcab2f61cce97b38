package cart;

import com.typesafe.config.Config;
import java.time.Duration;

/** Limits a cart enforces, and how often it retries placing its order. */
public record CartSettings(int maxQuantityPerLine, int maxLines, Duration placementRetry) {

  public static CartSettings fromConfig(Config storefront) {
    Config cart = storefront.getConfig("cart");
    return new CartSettings(
        cart.getInt("max-quantity-per-line"),
        cart.getInt("max-lines"),
        storefront.getDuration("order.step-retry-max-backoff"));
  }
}
