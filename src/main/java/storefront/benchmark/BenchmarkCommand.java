package storefront.benchmark;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import cart.ShoppingCart;
import com.typesafe.config.ConfigFactory;
import inventory.ProductStock;
import inventory.Stock;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import storefront.Node;
import storefront.NodeConfig;
import storefront.workload.WorkloadCommand;

/**
 * Measures the shop against its own database in one run: the database's single-row commit rate (the
 * baseline), events persisted per second, completed orders per second through HTTP, reservations
 * per second on one hot product, and heap per active cart. Every rate is also given as a ratio to
 * the baseline, because machines here are noisy and only ratios compare.
 */
@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = "Start a node on a fresh embedded database and measure it.")
public final class BenchmarkCommand implements Callable<Integer> {

  @Option(names = "--concurrency", description = "Callers at once in each phase (default 64).")
  int concurrency = 64;

  @Option(names = "--phase", description = "Length of each timed phase (default 20s).")
  Duration phase = Duration.ofSeconds(20);

  @Option(names = "--shoppers", description = "Concurrent HTTP shoppers for orders/s (default 32).")
  int shoppers = 32;

  @Option(
      names = "--carts",
      description = "Active carts for the heap measurement (default 100000).")
  int carts = 100_000;

  private final Duration ask = Duration.ofSeconds(10);

  /** Carts belong to a user; ids in the read side are UUIDs. */
  private static final String SHOPPER = UUID.randomUUID().toString();

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("storefront-benchmark");
    Node node = startNode(data);
    ActorSystem<?> system = node.system();
    try {
      List<String[]> rows = new ArrayList<>();
      System.out.printf("Benchmark: %d callers per phase, %s per phase%n", concurrency, phase);

      ClosedLoop.Result baseline = baseline(system);
      double base = baseline.perSecond();
      rows.add(row("database single-row commits/s (baseline)", baseline, base));

      ClosedLoop.Result events = eventsPersisted(system);
      rows.add(row("events persisted/s (cart changes)", events, base));

      ClosedLoop.Result reservations = hotProductReservations(system);
      rows.add(row("reservations/s on one hot product (+ commit)", reservations, base));

      double orders = ordersPerSecond(node);
      rows.add(
          new String[] {
            "completed orders/s via HTTP (" + shoppers + " shoppers)",
            String.format("%.1f", orders),
            ratio(orders, base),
            ""
          });

      long bytesPerCart = heapPerActiveCart(system);
      System.out.println();
      System.out.printf(
          "%-48s %12s %10s %s%n", "measure", "value", "÷ baseline", "latency p50/p99 ms");
      rows.forEach(r -> System.out.printf("%-48s %12s %10s %s%n", (Object[]) r));
      System.out.printf(
          "%-48s %12s%n",
          "heap per active cart (" + carts + " carts)", String.format("%,d B", bytesPerCart));
      System.out.printf(
          "%-48s %12s%n",
          "heap for 100,000 active carts",
          String.format("%,d MB", bytesPerCart * 100_000 / (1024 * 1024)));
      return 0;
    } finally {
      node.close();
    }
  }

  private Node startNode(Path data) throws Exception {
    int dbPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      dbPort = socket.getLocalPort();
    }
    int remotePort;
    try (ServerSocket socket = new ServerSocket(0)) {
      remotePort = socket.getLocalPort();
    }
    return Node.start(
        NodeConfig.load(
            ConfigFactory.parseString(
                "storefront.database.embedded.data-directory = \""
                    + data.toString().replace("\\", "/")
                    + "\"\nstorefront.database.embedded.port = "
                    + dbPort
                    + "\nstorefront.http.port = 0"
                    + "\nakka.remote.artery.canonical.port = "
                    + remotePort
                    + "\nakka.management.http.port = 0"
                    + "\nakka.loglevel = WARNING"
                    + "\nakka.coordinated-shutdown.exit-jvm = off")));
  }

  private ClosedLoop.Result baseline(ActorSystem<?> system) {
    R2dbcSession.withSession(
            system,
            session ->
                session.select(
                    session.createStatement(
                        "CREATE TABLE IF NOT EXISTS benchmark_commits"
                            + " (id BIGSERIAL PRIMARY KEY, loop INT, at TIMESTAMPTZ DEFAULT now())"),
                    row -> row))
        .toCompletableFuture()
        .join();
    return ClosedLoop.run(
        concurrency,
        phase,
        loop ->
            R2dbcSession.withSession(
                system,
                session ->
                    session.updateOne(
                        session
                            .createStatement("INSERT INTO benchmark_commits (loop) VALUES ($1)")
                            .bind(0, loop))));
  }

  /** Each caller changes its own cart back and forth: one event per change. */
  private ClosedLoop.Result eventsPersisted(ActorSystem<?> system) {
    String product = UUID.randomUUID().toString();
    List<String> cartIds = new ArrayList<>();
    for (int i = 0; i < concurrency; i++) {
      String cartId = UUID.randomUUID().toString();
      cartIds.add(cartId);
      askCart(system, cartId, r -> new ShoppingCart.Open(SHOPPER, "us-west", r))
          .toCompletableFuture()
          .join();
      askCart(system, cartId, r -> new ShoppingCart.AddItem(product, 1, BigDecimal.ONE, r))
          .toCompletableFuture()
          .join();
    }
    AtomicLong flips = new AtomicLong();
    return ClosedLoop.run(
        concurrency,
        phase,
        loop ->
            askCart(
                system,
                cartIds.get(loop),
                r ->
                    new ShoppingCart.ChangeQuantity(
                        product, 1 + (int) (flips.incrementAndGet() % 2), r)));
  }

  private CompletionStage<ShoppingCart.Reply> askCart(
      ActorSystem<?> system,
      String cartId,
      akka.japi.function.Function<
              akka.actor.typed.ActorRef<ShoppingCart.Reply>, ShoppingCart.Command>
          command) {
    return ShoppingCart.entityRef(system, cartId).ask(command, ask);
  }

  /** Every caller reserves one unit of the same product for a new order and commits it. */
  private ClosedLoop.Result hotProductReservations(ActorSystem<?> system) {
    String product = UUID.randomUUID().toString();
    Stock stock = new Stock(system, ask);
    stock
        .restock(product, "benchmark", UUID.randomUUID().toString(), "us-west", 100_000_000)
        .toCompletableFuture()
        .join();
    AtomicLong orders = new AtomicLong();
    ClosedLoop.Result result =
        ClosedLoop.run(
            concurrency,
            phase,
            loop -> {
              String orderId = "order-" + orders.incrementAndGet();
              var entity = ProductStock.entityRef(system, product);
              // Reserve, then commit as a paid order does: the stock's state stays realistic.
              return entity
                  .<ProductStock.ReserveReply>ask(
                      r ->
                          new ProductStock.Reserve(
                              orderId, 1, "us-west", java.time.Instant.now().plus(ask), r),
                      ask)
                  .thenCompose(
                      reply -> {
                        if (!(reply instanceof ProductStock.Reserved)) {
                          throw new IllegalStateException("refused: " + reply);
                        }
                        return entity.<akka.Done>ask(r -> new ProductStock.Commit(orderId, r), ask);
                      });
            });
    ProductStock.StockView after = stock.get(product).toCompletableFuture().join();
    if (after.sold() != result.succeeded()
        || after.received() != after.available() + after.reserved() + after.sold()) {
      throw new IllegalStateException(
          "stock does not add up after the hot-product phase: " + after);
    }
    return result;
  }

  private double ordersPerSecond(Node node) throws java.io.IOException {
    Path summaryFile = Files.createTempFile("workload-summary", ".json");
    new CommandLine(new WorkloadCommand())
        .execute(
            "--target",
            "http://127.0.0.1:" + node.httpPort(),
            "--region",
            "us-west",
            "--concurrency",
            String.valueOf(shoppers),
            "--duration",
            "PT" + phase.toSeconds() + "S",
            "--report-every",
            "PT3600S",
            "--order-lines",
            "none",
            "--orders-file",
            "/dev/null",
            "--summary-file",
            summaryFile.toString());
    var summary = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summaryFile.toFile());
    System.out.printf(
        "  workload: %s orders completed, checkout p50 %.1f ms, p99 %.1f ms%n",
        summary.path("completedOrders").asText(),
        summary.path("latencyMs").path("checkout").path("p50").asDouble(),
        summary.path("latencyMs").path("checkout").path("p99").asDouble());
    return summary.path("ordersPerSecond").asDouble();
  }

  /** Heap after a full collection, before and after opening carts with one line each. */
  private long heapPerActiveCart(ActorSystem<?> system) {
    long before = usedHeapAfterGc();
    String product = UUID.randomUUID().toString();
    List<String> ids = new ArrayList<>(carts);
    for (int i = 0; i < carts; i++) {
      ids.add(UUID.randomUUID().toString());
    }
    AtomicLong next = new AtomicLong();
    ClosedLoop.times(
        concurrency,
        carts,
        loop -> {
          String cartId = ids.get((int) next.getAndIncrement());
          return askCart(system, cartId, r -> new ShoppingCart.Open(SHOPPER, "us-west", r))
              .thenCompose(
                  opened ->
                      askCart(
                          system,
                          cartId,
                          r -> new ShoppingCart.AddItem(product, 1, BigDecimal.TEN, r)));
        });
    long after = usedHeapAfterGc();
    return (after - before) / carts;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static String[] row(String name, ClosedLoop.Result result, double baseline) {
    return new String[] {
      name,
      String.format("%.0f", result.perSecond()),
      ratio(result.perSecond(), baseline),
      String.format(
          "%.1f / %.1f",
          result.latencyMicros().getValueAtPercentile(50) / 1000.0,
          result.latencyMicros().getValueAtPercentile(99) / 1000.0)
    };
  }

  private static String ratio(double value, double baseline) {
    return String.format("%.3f", value / baseline);
  }
}
