package storefront;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Loads a node's configuration with overrides that the ${...} substitutions must see. */
public final class NodeConfig {
  private NodeConfig() {}

  /**
   * Overrides first, then -D system properties, application.conf and reference.conf, resolved
   * together: ConfigFactory.load() would resolve the seed-node address before a port override.
   */
  public static Config load(Config overrides) {
    return overrides
        .withFallback(ConfigFactory.defaultOverrides())
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
