package web;

import auth.Authenticator;
import com.typesafe.config.Config;
import java.time.Duration;

/**
 * What every route shares: how long to wait for an answer, how large a body may be, and who is
 * calling.
 */
public record ApiSettings(Duration askTimeout, long maxBodyBytes, Authenticator authenticator) {

  public static ApiSettings fromConfig(Config storefront, Authenticator authenticator) {
    return new ApiSettings(
        storefront.getDuration("http.ask-timeout"),
        storefront.getBytes("http.max-body-bytes"),
        authenticator);
  }
}
