package storefront.tools.datagen;

import akka.actor.typed.ActorSystem;
import auth.Passwords;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storefront.node.DatabaseClient;
import storefront.tools.DatabaseOptions;
import storefront.tools.NodeHttp;
import storefront.tools.cluster.ToolSecrets;
import storefront.tools.datagen.DataGenerator.Stock;

/**
 * Generates categories, products, users across regions, warehouses and stock, deterministically for
 * a seed. Reference data goes straight into its tables in batches; stock goes through the running
 * shop's ProductStock entities (admin restock with a fixed idempotency key), so journal, entities
 * and read side agree, and running it again adds nothing.
 */
@Command(
    name = "datagen",
    mixinStandardHelpOptions = true,
    description = "Generate reference data and stock (a node must be running for the stock).")
public final class DatagenCommand implements Callable<Integer> {
  private static final int RESTOCK_ATTEMPTS = 5;

  @Option(names = "--seed", description = "Same seed, same data (default 1).")
  long seed = 1;

  @Option(names = "--users", description = "Users (default 1000).")
  int users = 1_000;

  @Option(names = "--products", description = "Products (default 200).")
  int products = 200;

  @Option(
      names = "--regions",
      split = ",",
      description = "Regions (default us-west,us-east,us-central).")
  List<String> regions = List.of("us-west", "us-east", "us-central");

  @Option(names = "--warehouses-per-region", description = "Default 1.")
  int warehousesPerRegion = 1;

  @Option(
      names = "--min-stock",
      description = "Fewest units per product and warehouse (default 10000).")
  int minStock = 10_000;

  @Option(
      names = "--max-stock",
      description = "Most units per product and warehouse (default 50000).")
  int maxStock = 50_000;

  @Option(
      names = "--target",
      description = "A node's URL for the stock (default http://127.0.0.1:8080).")
  String target = "http://127.0.0.1:8080";

  @Mixin ToolSecrets secrets = new ToolSecrets();

  @Mixin DatabaseOptions databaseOptions = new DatabaseOptions();

  @Option(names = "--stock-concurrency", description = "Restocks in flight (default 32).")
  int stockConcurrency = 32;

  @Override
  public Integer call() throws Exception {
    if (minStock < 1 || maxStock < minStock || users < 0 || products < 0) {
      System.err.println("Sizes must not be negative and 1 <= min-stock <= max-stock.");
      return 2;
    }
    if (!secrets.missing().isEmpty()) {
      System.err.println(secrets.missing());
      return 2;
    }
    DataGenerator generator = new DataGenerator(seed);
    var categoryRows = generator.categories();
    var productRows = generator.products(products);
    var userRows = generator.users(users, regions);
    var warehouseRows = generator.warehouses(regions, warehousesPerRegion);

    try (DatabaseClient database = databaseOptions.client("datagen")) {
      ActorSystem<Void> system = database.system();
      // One hash for all: generated users share their password; 0.2 s per user would be hours.
      String passwordHash =
          new Passwords(system.settings().config().getInt("storefront.auth.password-iterations"))
              .hash(secrets.shopperPassword());
      long start = System.nanoTime();
      BulkLoader loader = new BulkLoader(system);
      loader.categories(categoryRows).toCompletableFuture().get(5, TimeUnit.MINUTES);
      loader.warehouses(warehouseRows).toCompletableFuture().get(5, TimeUnit.MINUTES);
      loader.products(productRows).toCompletableFuture().get(5, TimeUnit.MINUTES);
      loader.users(userRows, passwordHash).toCompletableFuture().get(5, TimeUnit.MINUTES);
      double referenceSeconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "Loaded %d categories, %d warehouses, %d products, %d users in %.1f s%n",
          categoryRows.size(),
          warehouseRows.size(),
          productRows.size(),
          userRows.size(),
          referenceSeconds);

      List<Stock> stock = generator.stock(productRows, warehouseRows, minStock, maxStock);
      long stockStart = System.nanoTime();
      long failed = restockAll(stock);
      System.out.printf(
          "Restocked %d product-warehouse pairs through the entities in %.1f s%s%n",
          stock.size() - failed,
          (System.nanoTime() - stockStart) / 1e9,
          failed == 0 ? "" : " (" + failed + " failed: run again, it is safe)");
      return failed == 0 ? 0 : 1;
    }
  }

  private long restockAll(List<Stock> stock) throws InterruptedException {
    NodeHttp http =
        new NodeHttp(Duration.ofSeconds(5), Duration.ofSeconds(30)).withToken(secrets.adminToken());
    Semaphore inFlight = new Semaphore(stockConcurrency);
    AtomicLong failed = new AtomicLong();
    AtomicLong done = new AtomicLong();
    for (Stock s : stock) {
      inFlight.acquire();
      String url = target + "/admin/products/" + s.productId() + "/restock";
      String body = NodeHttp.json("warehouse", s.warehouseId(), "quantity", s.quantity());
      String key = "datagen:" + seed + ":" + s.productId() + ":" + s.warehouseId();
      send(http, url, body, key, RESTOCK_ATTEMPTS)
          .whenComplete(
              (answer, error) -> {
                if (error != null || answer.status() != 200) {
                  if (failed.incrementAndGet() <= 5) {
                    System.err.println(
                        "Restock failed: "
                            + (error != null ? error : answer.status() + " " + answer.body()));
                  }
                }
                long count = done.incrementAndGet();
                if (count % 10_000 == 0) {
                  System.out.printf("  %d / %d restocked%n", count, stock.size());
                }
                inFlight.release();
              });
    }
    inFlight.acquire(stockConcurrency);
    return failed.get();
  }

  /**
   * Sends a restock, and again after a pause when the node could not be reached or answered 503
   * (shards still starting, say): safe, because every restock carries its idempotency key.
   */
  private static CompletableFuture<NodeHttp.Answer> send(
      NodeHttp http, String url, String body, String key, int attemptsLeft) {
    return http.sendAsync("POST", url, body, key)
        .handle(
            (answer, error) -> {
              boolean retry = attemptsLeft > 1 && (error != null || answer.status() == 503);
              if (!retry) {
                return error == null
                    ? CompletableFuture.completedFuture(answer)
                    : CompletableFuture.<NodeHttp.Answer>failedFuture(error);
              }
              Executor later = CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS);
              return CompletableFuture.supplyAsync(() -> null, later)
                  .thenCompose(ignored -> send(http, url, body, key, attemptsLeft - 1));
            })
        .thenCompose(next -> next);
  }
}
