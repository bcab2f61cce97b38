package storefront;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.http.javadsl.ServerBinding;
import akka.management.javadsl.AkkaManagement;
import auth.AuthSettings;
import auth.Authenticator;
import cart.ActiveCart;
import cart.CartOrderOutcomes;
import cart.CartReadSideHandler;
import cart.CartSettings;
import cart.ShardedCarts;
import cart.ShoppingCart;
import catalog.Catalog;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import common.DatabasePool;
import inventory.InventoryReadSideHandler;
import inventory.InventorySettings;
import inventory.ProductStock;
import inventory.Stock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import live.LiveSettings;
import live.LiveUpdates;
import order.Order;
import order.OrderReadSideHandler;
import order.OrderSettings;
import order.Orders;
import order.ShardedStockReservations;
import order.SimulatedCarrier;
import order.payment.SimulatedPaymentGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import web.ApiSettings;
import web.Endpoint;

/**
 * One node of the shop: database, actor system, management, entities, sample data, HTTP. Reads top
 * to bottom like the start-up it performs.
 */
public final class Node implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Node.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  /** The sharded entity types, as the metrics and the console count them. */
  private static final List<EntityTypeKey<?>> ENTITY_TYPES =
      List.of(
          ShoppingCart.ENTITY_KEY,
          ActiveCart.ENTITY_KEY,
          Order.ENTITY_KEY,
          ProductStock.ENTITY_KEY);

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
    // First: a missing or unsafe secret refuses the start before anything runs.
    AuthSettings auth = AuthSettings.fromConfig(storefront);
    if (auth.demo()) {
      log.warn(
          "DEMO MODE: the admin token and the token key are the well-known ones from the README;"
              + " never expose this node");
    }
    ApiSettings api = ApiSettings.fromConfig(storefront, new Authenticator(auth));
    Optional<EmbeddedDatabase> database = startEmbeddedDatabase(config);
    Config effective =
        database
            .map(db -> DatabasePool.server("127.0.0.1", db.port()).withFallback(config))
            .orElse(config);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "storefront", effective);
    // Also when the cluster downs this node and Akka exits the JVM: the database goes last.
    database.ifPresent(
        db ->
            Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> stopDatabaseAfter(system, db), "stop-database")));
    try {
      retried("schema", () -> Schema.apply(system));
      AkkaManagement.get(system).start();

      OrderSettings orderSettings = OrderSettings.fromConfig(storefront);
      Stock stock = new Stock(system, api.askTimeout());
      Orders orders = new Orders(system, orderSettings.stepTimeout());
      ProductStock.init(system, InventorySettings.fromConfig(storefront));
      Order.init(
          system,
          orderSettings,
          new ShardedStockReservations(system, orderSettings.stepTimeout()),
          SimulatedPaymentGateway.fromConfig(system, storefront),
          SimulatedCarrier.fromConfig(system, storefront),
          new CartOrderOutcomes(system, orderSettings.stepTimeout()));
      CartSettings cartSettings = CartSettings.fromConfig(storefront);
      ShoppingCart.init(system, cartSettings, orders);
      ActiveCart.init(system, new ShardedCarts(system, api.askTimeout()));
      LiveUpdates live = LiveUpdates.start(system, LiveSettings.fromConfig(storefront));
      List<ReadSideProjections.ReadSide> readSides =
          List.of(
              ReadSideProjections.start(
                  system,
                  "order-read-side",
                  Order.ENTITY_KEY.name(),
                  () -> new OrderReadSideHandler(live)),
              ReadSideProjections.start(
                  system,
                  "cart-read-side",
                  ShoppingCart.ENTITY_KEY.name(),
                  CartReadSideHandler::new),
              ReadSideProjections.start(
                  system,
                  "inventory-read-side",
                  ProductStock.ENTITY_KEY.name(),
                  () -> new InventoryReadSideHandler(live)));

      StalledProcesses.start(system, api.askTimeout(), cartSettings.expireAfter());
      NodeGauges.start(system, ENTITY_TYPES, readSides);

      Catalog catalog = new Catalog(system);
      if (storefront.getBoolean("sample-data")) {
        retried("sample data", () -> SampleData.load(system, stock));
      }

      String host = storefront.getString("http.interface");
      int port = storefront.getInt("http.port");
      // The console asks every 2 s: a member that does not answer within a second is shown
      // without its figures rather than holding the answer up.
      Duration clusterQueries = Duration.ofSeconds(1);
      NodeDirectory directory = new NodeDirectory(system, clusterQueries);
      ClusterView cluster = new ClusterView(system, directory, ENTITY_TYPES, clusterQueries);
      HttpApi httpApi = new HttpApi(system, api, catalog, stock, orders, live, readSides, cluster);
      ServerBinding binding = await(HttpApi.bind(system, httpApi.route(), host, port));
      directory.register(publicUrl(storefront, binding));
      binding.addToCoordinatedShutdown(Duration.ofSeconds(10), system);
      log.info("Storefront serving on http://{}:{}", host, binding.localAddress().getPort());
      return new Node(system, binding, httpApi.endpoints(), database);
    } catch (RuntimeException e) {
      log.error("Node failed to start", e);
      system.terminate();
      database.ifPresent(db -> stopDatabaseAfter(system, db));
      throw e;
    }
  }

  /**
   * Start-up steps that are idempotent but may fail while other nodes start at the same time: the
   * schema (PostgreSQL's IF NOT EXISTS is not safe against a concurrent CREATE) and the sample data
   * (its entities may be allocated to a node that is still joining).
   */
  static void retried(String step, java.util.function.Supplier<CompletionStage<?>> action) {
    for (int attempt = 1; ; attempt++) {
      try {
        await(action.get());
        return;
      } catch (IllegalStateException e) {
        if (attempt == 5) {
          throw e;
        }
        log.info("{} failed (attempt {}), trying again: {}", step, attempt, e.getMessage());
        try {
          Thread.sleep(1_000L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Where browsers reach this node: {@code storefront.http.public-url} when set (behind a proxy or
   * in a container), else the interface and port it is bound to.
   */
  private static String publicUrl(Config storefront, ServerBinding binding) {
    String configured = storefront.getString("http.public-url");
    return configured.isEmpty()
        ? "http://"
            + binding.localAddress().getHostString()
            + ":"
            + binding.localAddress().getPort()
        : configured;
  }

  private static Optional<EmbeddedDatabase> startEmbeddedDatabase(Config config) {
    Config storefront = config.getConfig("storefront");
    DatabaseFlavour flavour = DatabaseFlavour.fromConfig(storefront);
    if (!"embedded".equals(storefront.getString("database.mode"))) {
      return Optional.empty();
    }
    if (flavour != DatabaseFlavour.POSTGRES) {
      throw new ConfigException.BadValue(
          "storefront.database.flavour",
          "the "
              + flavour
              + " flavour needs an external database: STOREFRONT_DB_MODE=external and DB_URL");
    }
    if (!config.getString("akka.persistence.r2dbc.connection-factory.url").isEmpty()) {
      throw new ConfigException.BadValue(
          "akka.persistence.r2dbc.connection-factory.url",
          "DB_URL names an external database, but STOREFRONT_DB_MODE is embedded: set it to"
              + " external");
    }
    return Optional.of(
        EmbeddedDatabase.start(
            Path.of(storefront.getString("database.embedded.data-directory")),
            storefront.getInt("database.embedded.port")));
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

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("start-up failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException("start-up failed: " + e, e);
    }
  }
}
