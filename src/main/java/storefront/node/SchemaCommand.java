package storefront.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * Applies the schema to an external database and exits: the one-shot step before several nodes
 * start together (docker-compose.yml), so that they do not all create the same tables at once.
 * Nodes apply it too at start; every statement is idempotent.
 */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description =
        "Apply the DDL of STOREFRONT_DB_FLAVOUR (ddl-scripts/) to the external database given by"
            + " DB_URL or DB_HOST, DB_PORT, ... and exit.")
public final class SchemaCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    Config storefront = NodeConfig.load(ConfigFactory.empty()).getConfig("storefront");
    DatabaseFlavour flavour = DatabaseFlavour.fromConfig(storefront);
    if (!"external".equals(storefront.getString("database.mode"))) {
      throw new ConfigException.BadValue(
          "storefront.database.mode",
          "schema applies the DDL to an external database (STOREFRONT_DB_MODE=external); an"
              + " embedded one gets it when its node starts");
    }
    try (DatabaseClient database = DatabaseClient.asConfigured("storefront-schema")) {
      StartUp.retried("schema", () -> Schema.apply(database.system()));
    }
    System.out.println("Schema applied (" + flavour + " flavour)");
    return 0;
  }
}
