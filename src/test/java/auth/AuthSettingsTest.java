package auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Outside demo mode no secret has a working default; in demo mode the well-known ones work. */
class AuthSettingsTest {
  private static final String SECRET = "a-token-secret-of-at-least-32-bytes-long";

  private static Config storefront(String auth) {
    return ConfigFactory.parseString("auth {" + auth + "}")
        .withFallback(
            ConfigFactory.parseString(
                "auth { demo = off, admin-token = \"\", token-secret = \"\", token-ttl = 1h,"
                    + " password-iterations = 1000 }"));
  }

  @Test
  void withoutSecretsTheNodeRefusesToStart() {
    var refused =
        assertThrows(ConfigException.class, () -> AuthSettings.fromConfig(storefront("")));
    assertTrue(refused.getMessage().contains("STOREFRONT_ADMIN_TOKEN"), refused.getMessage());
    var noKey =
        assertThrows(
            ConfigException.class,
            () -> AuthSettings.fromConfig(storefront("admin-token = an-admin-token-long-enough")));
    assertTrue(noKey.getMessage().contains("STOREFRONT_TOKEN_SECRET"), noKey.getMessage());
  }

  @Test
  void shortOrWellKnownSecretsAreRefusedOutsideDemoMode() {
    assertThrows(
        ConfigException.class,
        () ->
            AuthSettings.fromConfig(
                storefront("admin-token = short, token-secret = \"" + SECRET + "\"")));
    assertThrows(
        ConfigException.class,
        () ->
            AuthSettings.fromConfig(
                storefront("admin-token = an-admin-token-long-enough, token-secret = too-short")));
    assertThrows(
        ConfigException.class,
        () ->
            AuthSettings.fromConfig(
                storefront(
                    "admin-token = \""
                        + AuthSettings.DEMO_ADMIN_TOKEN
                        + "\", token-secret = \""
                        + SECRET
                        + "\"")));
  }

  @Test
  void demoModeUsesTheWellKnownSecretsAndSaysSo() {
    AuthSettings demo = AuthSettings.fromConfig(storefront("demo = on"));
    assertTrue(demo.demo());
    assertEquals(AuthSettings.DEMO_ADMIN_TOKEN, demo.adminToken());
  }

  @Test
  void givenSecretsAreUsed() {
    AuthSettings settings =
        AuthSettings.fromConfig(
            storefront(
                "admin-token = an-admin-token-long-enough, token-secret = \"" + SECRET + "\""));
    assertEquals("an-admin-token-long-enough", settings.adminToken());
    assertEquals(SECRET.length(), settings.tokenSecret().length);
  }
}
