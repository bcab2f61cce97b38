package auth;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Who may call what: the operators' token, the key shopper tokens are signed with, how long a token
 * lasts and what a password hash costs. Outside the explicit demo mode a missing, short or
 * well-known secret stops the node at start: a default that works is a default everyone knows.
 */
public record AuthSettings(
    String adminToken,
    byte[] tokenSecret,
    Duration tokenTtl,
    int passwordIterations,
    boolean demo) {

  /** The demo mode's well-known secrets: published in the README, accepted only in demo mode. */
  static final String DEMO_ADMIN_TOKEN = "demo-admin-token";

  static final String DEMO_TOKEN_SECRET = "demo-token-secret-published-in-the-readme-0123456789";

  static final int MIN_ADMIN_TOKEN_CHARS = 16;
  // HS256 needs a key of at least 256 bits.
  static final int MIN_TOKEN_SECRET_BYTES = 32;

  public static AuthSettings fromConfig(Config storefront) {
    Config auth = storefront.getConfig("auth");
    boolean demo = auth.getBoolean("demo");
    String adminToken = auth.getString("admin-token");
    String tokenSecret = auth.getString("token-secret");
    if (demo) {
      adminToken = adminToken.isEmpty() ? DEMO_ADMIN_TOKEN : adminToken;
      tokenSecret = tokenSecret.isEmpty() ? DEMO_TOKEN_SECRET : tokenSecret;
    } else {
      require(
          adminToken.length() >= MIN_ADMIN_TOKEN_CHARS && !adminToken.equals(DEMO_ADMIN_TOKEN),
          "admin-token",
          "STOREFRONT_ADMIN_TOKEN must be set to a secret of at least "
              + MIN_ADMIN_TOKEN_CHARS
              + " characters");
      require(
          tokenSecret.getBytes(StandardCharsets.UTF_8).length >= MIN_TOKEN_SECRET_BYTES
              && !tokenSecret.equals(DEMO_TOKEN_SECRET),
          "token-secret",
          "STOREFRONT_TOKEN_SECRET must be set to a secret of at least "
              + MIN_TOKEN_SECRET_BYTES
              + " bytes (the same on every node)");
    }
    int iterations = auth.getInt("password-iterations");
    if (iterations < 1) {
      throw new ConfigException.BadValue(
          "storefront.auth.password-iterations", "must be at least 1");
    }
    return new AuthSettings(
        adminToken,
        tokenSecret.getBytes(StandardCharsets.UTF_8),
        auth.getDuration("token-ttl"),
        iterations,
        demo);
  }

  private static void require(boolean condition, String key, String message) {
    if (!condition) {
      throw new ConfigException.BadValue(
          "storefront.auth." + key,
          message + ", or the node started in demo mode (STOREFRONT_DEMO=on, well-known secrets)");
    }
  }
}
