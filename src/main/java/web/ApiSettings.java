package web;

import com.typesafe.config.Config;
import java.time.Duration;

/** What every route shares: how long to wait for an answer and how large a body may be. */
public record ApiSettings(Duration askTimeout, long maxBodyBytes, String adminToken) {

  public static ApiSettings fromConfig(Config storefront) {
    return new ApiSettings(
        storefront.getDuration("http.ask-timeout"),
        storefront.getBytes("http.max-body-bytes"),
        storefront.getString("admin-token"));
  }
}
