package storefront.node;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.http.javadsl.ServerBinding;
import akka.management.javadsl.AkkaManagement;
import auth.AuthSettings;
import auth.Authenticator;
import com.typesafe.config.Config;
import common.DatabasePool;
import inventory.Stock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import live.LiveSettings;
import live.LiveUpdates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import storefront.node.ReadSideProjections.ReadSide;
import web.ApiSettings;
import web.Endpoint;

/**
 * One node of the shop. {@link #start} is its table of contents: one line per subsystem, in the
 * order they start.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final List<Endpoint> endpoints;
  private final Optional<EmbeddedDatabase> database;

  private Node(
      ActorSystem<Void> system,
      ServerBinding binding,
      List<Endpoint> endpoints,
      Optional<EmbeddedDatabase> database) {
    this.system = system;
    this.binding = binding;
    this.endpoints = endpoints;
    this.database = database;
  }

  public static Node start(Config config) {
    Config storefront = config.getConfig("storefront");
    ApiSettings api = apiSettings(storefront);
    Optional<EmbeddedDatabase> database = EmbeddedDatabase.startIfConfigured(config);
    ActorSystem<Void> system = actorSystem(config, database);
    try {
      StartUp.retried("schema", () -> Schema.apply(system));
      AkkaManagement.get(system).start();
      Entities entities = Entities.start(system, storefront, api.askTimeout());
      LiveUpdates live = LiveUpdates.start(system, LiveSettings.fromConfig(storefront));
      List<ReadSide> readSides = ReadSideProjections.startAll(system, live);
      StalledProcesses.start(system, api.askTimeout(), entities.cartExpiry());
      NodeGauges.start(system, Entities.TYPES, readSides);
      loadSampleData(system, storefront, entities.stock());
      HttpApi http = new HttpApi(system, api, entities, live, readSides);
      ServerBinding binding = http.serve(storefront);
      return new Node(system, binding, http.endpoints(), database);
    } catch (RuntimeException e) {
      log.error("Node failed to start", e);
      system.terminate();
      database.ifPresent(db -> stopDatabaseAfter(system, db));
      throw e;
    }
  }

  /** First of all: a missing or unsafe secret refuses the start before anything runs. */
  private static ApiSettings apiSettings(Config storefront) {
    AuthSettings auth = AuthSettings.fromConfig(storefront);
    if (auth.demo()) {
      log.warn(
          "DEMO MODE: the admin token and the token key are the well-known ones from the README;"
              + " never expose this node");
    }
    return ApiSettings.fromConfig(storefront, new Authenticator(auth));
  }

  /**
   * The actor system, on the embedded database when there is one; that database stops after it,
   * also when the cluster downs this node and Akka exits the JVM.
   */
  private static ActorSystem<Void> actorSystem(Config config, Optional<EmbeddedDatabase> database) {
    Config effective =
        database
            .map(db -> DatabasePool.server("127.0.0.1", db.port()).withFallback(config))
            .orElse(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "storefront", effective);
    database.ifPresent(
        db ->
            Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stopDatabaseAfter(system, db), "stop-database")));
    return system;
  }

  private static void loadSampleData(ActorSystem<?> system, Config storefront, Stock stock) {
    if (storefront.getBoolean("sample-data")) {
      StartUp.retried("sample data", () -> SampleData.load(system, stock));
    }
  }

  public ActorSystem<Void> system() {
    return system;
  }

  public int httpPort() {
    return binding.localAddress().getPort();
  }

  /** The operations the HTTP API serves, as its routes declare them. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  /** The actor system shuts down first (on SIGTERM by Akka's own hook), then the database. */
  private static void stopDatabaseAfter(ActorSystem<?> system, EmbeddedDatabase database) {
    awaitTermination(system);
    database.close();
  }

  /** Returns once the node has left and its actor system has terminated (and its database). */
  @Override
  public void close() {
    system.terminate();
    awaitTermination(system);
    database.ifPresent(EmbeddedDatabase::close);
  }

  private static void awaitTermination(ActorSystem<?> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("Actor system did not terminate in time", e);
    }
  }
}
