package storefront.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The database the node journals into, which decides the DDL it applies (ddl-scripts/). Both share
 * every script but the plugin tables and the indexes on ever-growing keys, which CockroachDB
 * hash-shards so that appends do not all land on one range (docs/COCKROACHDB.md).
 */
public enum DatabaseFlavour {
  POSTGRES("01_akka_postgres.sql", "08_sequential_indexes_postgres.sql"),
  COCKROACH("01_akka_cockroach.sql", "08_sequential_indexes_cockroach.sql");

  private static final List<String> SHARED_SCRIPTS =
      List.of(
          "02_catalog.sql",
          "03_payment_gateway.sql",
          "03_carrier.sql",
          "04_order_read_side.sql",
          "05_cart_read_side.sql",
          "06_inventory_read_side.sql",
          "07_analytics_views.sql",
          "07_notifications.sql");

  private final String pluginTables;
  private final String sequentialIndexes;

  DatabaseFlavour(String pluginTables, String sequentialIndexes) {
    this.pluginTables = pluginTables;
    this.sequentialIndexes = sequentialIndexes;
  }

  /** The scripts in the order they apply: each only needs the tables of those before it. */
  public List<String> scripts() {
    List<String> scripts = new ArrayList<>();
    scripts.add(pluginTables);
    scripts.addAll(SHARED_SCRIPTS);
    scripts.add(sequentialIndexes);
    return scripts;
  }

  /** {@code storefront.database.flavour} (STOREFRONT_DB_FLAVOUR): postgres or cockroach. */
  public static DatabaseFlavour fromConfig(Config storefront) {
    String name = storefront.getString("database.flavour");
    for (DatabaseFlavour flavour : values()) {
      if (flavour.name().equalsIgnoreCase(name)) {
        return flavour;
      }
    }
    throw new ConfigException.BadValue(
        "storefront.database.flavour",
        "STOREFRONT_DB_FLAVOUR is \"" + name + "\": use postgres or cockroach");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
