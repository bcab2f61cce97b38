package order;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How an order drives its steps (how long a step may take, how retries back off) and how long an
 * ended order stays in memory when nothing asks for it.
 */
public record OrderSettings(
    Duration stepTimeout, Duration minBackoff, Duration maxBackoff, Duration endedIdle) {

  public static OrderSettings fromConfig(Config storefront) {
    Config order = storefront.getConfig("order");
    return new OrderSettings(
        order.getDuration("step-timeout"),
        order.getDuration("step-retry-min-backoff"),
        order.getDuration("step-retry-max-backoff"),
        storefront.getDuration("ended-entity-idle"));
  }

  /** Exponential back-off for the given failed attempt (1-based), capped. */
  public Duration backoff(int attempt) {
    long millis = minBackoff.toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
