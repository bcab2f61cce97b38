package live;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a node serves its live streams: the keep-alive comment's period (under the HTTP server's idle
 * timeout, which would otherwise close a quiet stream) and the events a client may fall behind
 * before it is disconnected.
 */
public record LiveSettings(Duration keepAlive, int clientBuffer) {

  public LiveSettings {
    if (keepAlive.isZero() || keepAlive.isNegative() || clientBuffer < 1) {
      throw new IllegalArgumentException(
          "storefront.live: keep-alive must be positive and client-buffer at least 1");
    }
  }

  public static LiveSettings fromConfig(Config storefront) {
    Config live = storefront.getConfig("live");
    return new LiveSettings(live.getDuration("keep-alive"), live.getInt("client-buffer"));
  }
}
