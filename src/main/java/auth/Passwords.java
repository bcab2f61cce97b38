package auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes with the JDK's PBKDF2-HMAC-SHA256 and a random salt per hash, stored as {@code
 * pbkdf2-sha256$iterations$salt$hash} so that a later change of cost still reads old hashes.
 * 600,000 iterations (OWASP's figure for this function) cost about 0.2 s of a core here: callers
 * run it off the actor threads.
 */
public final class Passwords {
  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 200;

  private static final String SCHEME = "pbkdf2-sha256";
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;

  private final int iterations;
  private final SecureRandom random = new SecureRandom();
  // Compared against when no user has the email, so that both answers take as long.
  private final String unknownUserHash;

  public Passwords(int iterations) {
    this.iterations = iterations;
    this.unknownUserHash = hash("no user has this password");
  }

  public String hash(String password) {
    byte[] salt = new byte[SALT_BYTES];
    random.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return String.join(
        "$",
        SCHEME,
        Integer.toString(iterations),
        base64.encodeToString(salt),
        base64.encodeToString(derive(password, salt, iterations)));
  }

  /** Whether the password is the one hashed; no hash (no such user) matches nothing. */
  public boolean matches(String password, String stored) {
    String[] parts = (stored == null ? unknownUserHash : stored).split("\\$");
    if (parts.length != 4 || !parts[0].equals(SCHEME)) {
      return false;
    }
    Base64.Decoder base64 = Base64.getDecoder();
    byte[] expected = base64.decode(parts[3]);
    byte[] actual = derive(password, base64.decode(parts[2]), Integer.parseInt(parts[1]));
    return stored != null && MessageDigest.isEqual(expected, actual);
  }

  private static byte[] derive(String password, byte[] salt, int iterations) {
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
          .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS))
          .getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing from this JVM", e);
    }
  }

  /** The password's bytes are what is hashed; its length bounds what one sign-in costs. */
  public static boolean acceptable(String password) {
    int length = password.getBytes(StandardCharsets.UTF_8).length;
    return password.length() >= MIN_LENGTH && length <= MAX_LENGTH;
  }
}
