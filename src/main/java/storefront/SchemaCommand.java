package storefront;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
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
final class SchemaCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    // A local actor system: the plugin's connection pool without joining any cluster, and one
    // that leaves the exit code to this command.
    Config config =
        NodeConfig.load(
            ConfigFactory.parseString(
                "akka.actor.provider = local\nakka.coordinated-shutdown.exit-jvm = off"));
    Config storefront = config.getConfig("storefront");
    DatabaseFlavour flavour = DatabaseFlavour.fromConfig(storefront);
    if (!"external".equals(storefront.getString("database.mode"))) {
      throw new ConfigException.BadValue(
          "storefront.database.mode",
          "schema applies the DDL to an external database (STOREFRONT_DB_MODE=external); an"
              + " embedded one gets it when its node starts");
    }
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "storefront-schema", config);
    try {
      Node.retried("schema", () -> Schema.apply(system));
      System.out.println("Schema applied (" + flavour + " flavour)");
      return 0;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}
