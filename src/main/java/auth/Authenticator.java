package auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tells who a request's bearer token belongs to (the operators, a shopper, or nobody), and holds
 * what signing in needs: the token issuer and the password hashing.
 */
public final class Authenticator {
  private static final String BEARER = "Bearer ";

  private final byte[] adminToken;
  private final SecretKeySpec idKey;
  private final Tokens tokens;
  private final Passwords passwords;

  public Authenticator(AuthSettings settings) {
    this.adminToken = settings.adminToken().getBytes(StandardCharsets.UTF_8);
    this.tokens = new Tokens(settings.tokenSecret(), settings.tokenTtl());
    this.passwords = new Passwords(settings.passwordIterations());
    this.idKey = new SecretKeySpec(settings.tokenSecret(), "HmacSHA256");
  }

  /**
   * The id a request under an Idempotency-Key creates, the same for each repeat of it, and
   * unguessable without the cluster's secret (HMAC-SHA256 of owner and key): nobody can take the id
   * of someone else's next cart.
   */
  public UUID idFor(String owner, String requestKey) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(idKey);
      ByteBuffer digest =
          ByteBuffer.wrap(
              mac.doFinal((owner + "\n" + requestKey).getBytes(StandardCharsets.UTF_8)));
      // Marked as a version 4 (random) UUID, as the others are.
      long high = (digest.getLong() & ~0xF000L) | 0x4000L;
      long low = (digest.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
      return new UUID(high, low);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }

  /** Issues the tokens that {@link #caller} accepts. */
  public Tokens tokens() {
    return tokens;
  }

  public Passwords passwords() {
    return passwords;
  }

  /** The caller an Authorization header proves; empty when it is absent or proves nothing. */
  public Optional<Caller> caller(Optional<String> authorization) {
    if (authorization.isEmpty() || !authorization.get().startsWith(BEARER)) {
      return Optional.empty();
    }
    String token = authorization.get().substring(BEARER.length()).strip();
    if (MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8))) {
      return Optional.of(new Caller.Operator());
    }
    return tokens.userOf(token).map(Caller.Shopper::new);
  }
}
