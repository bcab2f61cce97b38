package order;

import com.typesafe.config.Config;
import java.time.Duration;

/** How an order drives its steps: how long a step may take and how retries back off. */
public record OrderSettings(Duration stepTimeout, Duration minBackoff, Duration maxBackoff) {

  public static OrderSettings fromConfig(Config storefront) {
    Config order = storefront.getConfig("order");
    return new OrderSettings(
        order.getDuration("step-timeout"),
        order.getDuration("step-retry-min-backoff"),
        order.getDuration("step-retry-max-backoff"));
  }

  /** Exponential back-off for the given failed attempt (1-based), capped. */
  public Duration backoff(int attempt) {
    long millis = minBackoff.toMillis() << Math.min(attempt - 1, 16);
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
