package storefront.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import java.util.concurrent.TimeUnit;

/**
 * A small local actor system for a command-line tool that talks to the shop's database through the
 * same R2DBC settings as a node (R2dbcSession), without joining the cluster.
 */
public final class DatabaseClient implements AutoCloseable {
  private final ActorSystem<Void> system;

  public DatabaseClient(String name, String host, int port) {
    this(name, host, port, "");
  }

  /** A client of the database at the R2DBC URL when one is given, else at host and port. */
  public DatabaseClient(String name, String host, int port, String url) {
    this(
        name,
        "akka.persistence.r2dbc.connection-factory.host = "
            + ConfigUtil.quoteString(host)
            + "\nakka.persistence.r2dbc.connection-factory.port = "
            + port
            + "\nakka.persistence.r2dbc.connection-factory.url = "
            + ConfigUtil.quoteString(url));
  }

  /** A client of the database the node's own settings name (DB_URL, DB_HOST, ...). */
  public static DatabaseClient asConfigured(String name) {
    return new DatabaseClient(name, "");
  }

  private DatabaseClient(String name, String database) {
    this.system =
        ActorSystem.create(
            Behaviors.empty(),
            name,
            NodeConfig.load(
                ConfigFactory.parseString(
                    "akka.actor.provider = local\n"
                        + "akka.loglevel = WARNING\n"
                        + "akka.coordinated-shutdown.exit-jvm = off\n"
                        + database)));
  }

  public ActorSystem<Void> system() {
    return system;
  }

  @Override
  public void close() {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the database client did not stop", e);
    }
  }
}
