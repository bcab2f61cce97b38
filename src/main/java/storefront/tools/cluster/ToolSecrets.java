package storefront.tools.cluster;

import auth.Passwords;
import picocli.CommandLine.Option;

/**
 * The secrets a tool that talks to the shop needs: the nodes' admin token and the password of the
 * users datagen generates. From the environment of a local cluster ({@link ClusterSecrets}) or the
 * options; never a default.
 */
public final class ToolSecrets {
  @Option(
      names = "--admin-token",
      description = "The nodes' admin token (default: $STOREFRONT_ADMIN_TOKEN).")
  String adminToken = System.getenv(ClusterSecrets.ADMIN_TOKEN);

  @Option(
      names = "--shopper-password",
      description =
          "The password of the users datagen generates, 12+ characters (default:"
              + " $STOREFRONT_SHOPPER_PASSWORD).")
  String shopperPassword = System.getenv(ClusterSecrets.SHOPPER_PASSWORD);

  public String adminToken() {
    return adminToken;
  }

  public String shopperPassword() {
    return shopperPassword;
  }

  /** What is missing, for the tool to say before it exits with 2; empty when both are set. */
  public String missing() {
    if (adminToken == null || adminToken.isBlank()) {
      return "Set STOREFRONT_ADMIN_TOKEN (or --admin-token): the nodes' admin token.";
    }
    if (shopperPassword == null || !Passwords.acceptable(shopperPassword)) {
      return "Set STOREFRONT_SHOPPER_PASSWORD (or --shopper-password), 12+ characters: the"
          + " password of the generated users.";
    }
    return "";
  }
}
