package cart;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Limits a cart enforces, how often it retries placing its order, how long an ended cart stays in
 * memory when nothing asks for it, and how long an active cart may go unchanged before it expires.
 */
public record CartSettings(
    int maxQuantityPerLine,
    int maxLines,
    Duration placementRetry,
    Duration endedIdle,
    Duration expireAfter) {

  public static CartSettings fromConfig(Config storefront) {
    Config cart = storefront.getConfig("cart");
    return new CartSettings(
        cart.getInt("max-quantity-per-line"),
        cart.getInt("max-lines"),
        storefront.getDuration("order.step-retry-max-backoff"),
        storefront.getDuration("ended-entity-idle"),
        cart.getDuration("expire-after"));
  }
}
