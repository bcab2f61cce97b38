package storefront.tools.workload;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import storefront.tools.NodeHttp;

/**
 * The shoppers' bearer tokens, as a real client keeps them: signed in once (POST /sessions with the
 * generated users' password), and again shortly before a token expires.
 */
final class ShopperTokens {
  private static final Duration RENEW_BEFORE = Duration.ofMinutes(5);

  private record Token(String value, Instant expiresAt) {}

  private final ShopClient client;
  private final String password;
  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  ShopperTokens(ShopClient client, String password) {
    this.client = client;
    this.password = password;
  }

  /** Those of the users who sign in with the password (others, such as sample users, cannot). */
  List<ShopperSession.Shopper> signIn(List<ShopperSession.Shopper> users) {
    return users.parallelStream().filter(user -> signIn(user).isPresent()).toList();
  }

  /** The shopper's token; signs in again when it is about to expire. */
  String of(ShopperSession.Shopper shopper) {
    Token token = tokens.get(shopper.userId());
    if (token == null || token.expiresAt().minus(RENEW_BEFORE).isBefore(Instant.now())) {
      token =
          signIn(shopper)
              .orElseThrow(
                  () -> new ShopClient.Unavailable("sign-in of " + shopper.email() + " refused"));
    }
    return token.value();
  }

  private Optional<Token> signIn(ShopperSession.Shopper shopper) {
    // Signing in changes nothing: safe to repeat on another node.
    var answer =
        client.call(
            "sign_in",
            "POST",
            "/sessions",
            NodeHttp.json("email", shopper.email(), "password", password));
    if (answer.status() == 401) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw new ShopClient.Unavailable(
          "sign-in of " + shopper.email() + " answered " + answer.status());
    }
    Token token = new Token(answer.text("token"), Instant.parse(answer.text("expiresAt")));
    tokens.put(shopper.userId(), token);
    return Optional.of(token);
  }
}
