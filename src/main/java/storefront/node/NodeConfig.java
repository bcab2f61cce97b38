package storefront.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;

/** Loads a node's configuration with overrides that the ${...} substitutions must see. */
public final class NodeConfig {
  private NodeConfig() {}

  /**
   * Overrides first, then -D system properties, application.conf and reference.conf, resolved
   * together: ConfigFactory.load() would resolve the seed-node address before a port override. The
   * cockroach flavour lays cockroach.conf over application.conf.
   */
  public static Config load(Config overrides) {
    Config config = load(overrides, ConfigFactory.empty());
    if (DatabaseFlavour.fromConfig(config.getConfig("storefront")) == DatabaseFlavour.COCKROACH) {
      return load(overrides, ConfigFactory.parseResources("cockroach.conf"));
    }
    return config;
  }

  private static Config load(Config overrides, Config flavour) {
    return overrides
        .withFallback(ConfigFactory.defaultOverrides())
        .withFallback(flavour)
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }
}
