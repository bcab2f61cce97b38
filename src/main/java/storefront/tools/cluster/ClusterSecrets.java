package storefront.tools.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The secrets the nodes and tools of one local cluster share: the admin token, the key shopper
 * tokens are signed with, and the password of the users datagen generates. Taken from the
 * environment where set there, else made at random for the cluster and kept in its directory,
 * readable by its owner only, so that a restarted node and a later tool use the same ones.
 */
public record ClusterSecrets(String adminToken, String tokenSecret, String shopperPassword) {
  public static final String ADMIN_TOKEN = "STOREFRONT_ADMIN_TOKEN";
  public static final String TOKEN_SECRET = "STOREFRONT_TOKEN_SECRET";
  public static final String SHOPPER_PASSWORD = "STOREFRONT_SHOPPER_PASSWORD";

  private static final SecureRandom RANDOM = new SecureRandom();

  /** As environment variables, for a node or a tool started as a process. */
  public Map<String, String> environment() {
    return Map.of(
        ADMIN_TOKEN, adminToken, TOKEN_SECRET, tokenSecret, SHOPPER_PASSWORD, shopperPassword);
  }

  /** The cluster's secrets in this file, made (with the environment's where set) when absent. */
  static ClusterSecrets loadOrCreate(Path file) throws IOException {
    Properties stored = new Properties();
    if (Files.exists(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        stored.load(in);
      }
    }
    Map<String, String> environment = System.getenv();
    ClusterSecrets secrets =
        new ClusterSecrets(
            value(ADMIN_TOKEN, environment, stored, 24),
            value(TOKEN_SECRET, environment, stored, 32),
            value(SHOPPER_PASSWORD, environment, stored, 12));
    Properties updated = new Properties();
    secrets.environment().forEach(updated::setProperty);
    if (!updated.equals(stored)) {
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
        updated.store(out, "Secrets of this cluster: export them to run datagen and workload");
      }
    }
    return secrets;
  }

  private static String value(
      String name, Map<String, String> environment, Properties stored, int randomBytes) {
    String given = environment.get(name);
    if (given != null && !given.isBlank()) {
      return given;
    }
    String kept = stored.getProperty(name);
    if (kept != null) {
      return kept;
    }
    byte[] bytes = new byte[randomBytes];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
