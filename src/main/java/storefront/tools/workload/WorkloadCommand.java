package storefront.tools.workload;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import storefront.tools.cluster.ToolSecrets;
import storefront.tools.workload.ShopperSession.OrderEnd;
import storefront.tools.workload.ShopperSession.Shopper;

/** Simulated shoppers of one region against one or many nodes. */
@Command(
    name = "workload",
    mixinStandardHelpOptions = true,
    description = "Run simulated shoppers against the shop and report latency and outcomes.")
public final class WorkloadCommand implements Callable<Integer> {
  /** Printed when the warm-up is over; a caller measuring the counted part waits for it. */
  public static final String COUNTING = "Warm-up over; counting from now.";

  @Option(
      names = "--target",
      description = "Node URL, repeatable; used round-robin (default http://127.0.0.1:8080).")
  List<String> targets = new ArrayList<>(List.of("http://127.0.0.1:8080"));

  @Option(names = "--region", description = "Shoppers of this region only (default us-west).")
  String region = "us-west";

  @Mixin ToolSecrets secrets = new ToolSecrets();

  @Option(
      names = "--shoppers",
      description =
          "Users of the region that shop, signed in before the run (default 4 per concurrent"
              + " shopper: a sign-in costs the node a password hash, about 0.2 s of a core).")
  Integer signedIn;

  @Option(names = "--concurrency", description = "Shoppers at once (default 8).")
  int concurrency = 8;

  @Option(names = "--duration", description = "How long to run, e.g. 60s, 5m (default 30s).")
  Duration duration = Duration.ofSeconds(30);

  @Option(names = "--iterations", description = "Stop after this many visits instead.")
  Long iterations;

  @Option(
      names = "--warmup",
      description =
          "Visit for this long first without counting it, so that the JIT of this process and of"
              + " the nodes has settled (default 0).")
  Duration warmup = Duration.ZERO;

  @Option(
      names = "--retry-for",
      description = "How long a failed request keeps trying the other nodes (default 30s).")
  Duration retryFor = Duration.ofSeconds(30);

  @Option(names = "--think-time", description = "Up to this pause between steps (default 0).")
  Duration thinkTime = Duration.ZERO;

  @Option(
      names = "--rate",
      description = "Open loop: start this many visits per second (default 0: closed loop).")
  double rate;

  @Option(names = "--report-every", description = "Periodic table interval (default 5s).")
  Duration reportEvery = Duration.ofSeconds(5);

  @Option(
      names = "--orders-file",
      description = "Append the ids of acknowledged orders here (default acknowledged-orders.txt).")
  Path ordersFile = Path.of("acknowledged-orders.txt");

  @Option(names = "--order-lines", description = "auto (quiet above 5 orders/s), all or none.")
  String orderLines = "auto";

  @Option(names = "--json", description = "Print the final summary as JSON on stdout.")
  boolean json;

  @Option(names = "--summary-file", description = "Also write the final summary as JSON here.")
  Path summaryFile;

  private volatile Stats stats;
  private final AtomicLong visitsStarted = new AtomicLong();
  private final AtomicBoolean finished = new AtomicBoolean();
  // Opened once the shoppers are signed in (or the run gave up before that).
  private final CountDownLatch shoppersSignedIn = new CountDownLatch(1);
  private volatile double lastOrderRate;

  @Override
  public Integer call() throws Exception {
    try {
      return shop();
    } finally {
      shoppersSignedIn.countDown();
    }
  }

  /**
   * Waits until the shoppers are signed in and start visiting; false when the run ended before (or
   * the time is over). For a caller that schedules failures: sign-ins are not what it wants to hit.
   */
  public boolean awaitSignedIn(Duration timeout) throws InterruptedException {
    return shoppersSignedIn.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !finished.get();
  }

  private Integer shop() throws Exception {
    PrintStream log = json ? System.err : System.out;
    List<String> urls = targets.stream().map(t -> t.replaceAll("/+$", "")).toList();
    Stats stats = new Stats();
    this.stats = stats;
    if (!secrets.missing().isEmpty()) {
      System.err.println(secrets.missing());
      return 2;
    }
    ShopClient client = new ShopClient(urls, retryFor, stats);
    // Sign-ins are not counted: a real shopper signs in once, not on every visit.
    ShopperTokens tokens =
        new ShopperTokens(new ShopClient(urls, retryFor, new Stats()), secrets.shopperPassword());
    long signInStart = System.nanoTime();
    List<Shopper> shoppers = tokens.signIn(users(client));
    List<String> products = products(client);
    if (shoppers.isEmpty() || products.isEmpty()) {
      System.err.println(
          "No user of region "
              + region
              + " signs in with the shopper password, or no products: run datagen first.");
      return 2;
    }
    log.printf(
        "Signed in %d shoppers in %.1f s%n",
        shoppers.size(), (System.nanoTime() - signInStart) / 1e9);
    shoppersSignedIn.countDown();
    log.printf(
        "Workload: %d shoppers of %s at once, %s, %d users, %d products, targets %s%n",
        concurrency,
        region,
        iterations != null ? iterations + " visits" : duration.toSeconds() + " s",
        shoppers.size(),
        products.size(),
        urls);

    try (PrintWriter orders =
        new PrintWriter(
            Files.newBufferedWriter(
                ordersFile,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND),
            true)) {
      BiFunction<ShopClient, Stats, ShopperSession> sessions =
          (shopClient, counted) ->
              new ShopperSession(
                  shopClient,
                  tokens,
                  counted,
                  shoppers,
                  products,
                  thinkTime,
                  acknowledged ->
                      orders.println(acknowledged.orderId() + " " + acknowledged.cartId()),
                  end -> printOrderLine(log, end));
      if (!warmup.isZero()) {
        log.printf("Warming up for %d s (not counted)%n", warmup.toSeconds());
        Stats uncounted = new Stats();
        run(
            sessions.apply(new ShopClient(urls, retryFor, uncounted), uncounted),
            uncounted,
            null,
            warmup,
            null);
        stats = new Stats();
        this.stats = stats;
        client = new ShopClient(urls, retryFor, stats);
        log.println(COUNTING);
      }
      ShopperSession session = sessions.apply(client, stats);
      Stats counted = stats;
      Thread summaryOnExit =
          new Thread(
              () -> {
                if (finished.compareAndSet(false, true)) {
                  printSummary(log, counted);
                }
              });
      Runtime.getRuntime().addShutdownHook(summaryOnExit);
      run(session, counted, log, duration, iterations);
      if (finished.compareAndSet(false, true)) {
        printSummary(log, counted);
      }
      Runtime.getRuntime().removeShutdownHook(summaryOnExit);
    }
    return 0;
  }

  /** The counts so far, for a caller that runs the workload in the same JVM (the chaos run). */
  public RequestCounts requestCounts() {
    Stats current = stats;
    return current == null ? RequestCounts.NONE : current.requestCounts();
  }

  /** Runs visits for the time (or the number of visits); log null: no periodic table. */
  private void run(
      ShopperSession session, Stats stats, PrintStream log, Duration runFor, Long visits)
      throws InterruptedException {
    ExecutorService shoppersPool = Executors.newFixedThreadPool(concurrency);
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
    long deadline = System.nanoTime() + runFor.toNanos();
    if (log != null) {
      reporter.scheduleAtFixedRate(
          () -> report(stats, log, deadline),
          reportEvery.toMillis(),
          reportEvery.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    visitsStarted.set(0);
    try {
      startVisits(session, stats, deadline, visits, shoppersPool);
      shoppersPool.shutdown();
      shoppersPool.awaitTermination(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      // Stopped from outside (the chaos run broke off): visits in progress end at their next step.
      shoppersPool.shutdownNow();
      throw e;
    } finally {
      reporter.shutdownNow();
    }
  }

  /** Starts visits until the run is over: as shoppers free up, or at the open loop's rate. */
  private void startVisits(
      ShopperSession session, Stats stats, long deadline, Long visits, ExecutorService shoppersPool)
      throws InterruptedException {
    Semaphore slots = new Semaphore(concurrency);
    long intervalNanos = rate > 0 ? (long) (1e9 / rate) : 0;
    long nextStart = System.nanoTime();
    while (visits != null ? visitsStarted.get() < visits : System.nanoTime() < deadline) {
      if (intervalNanos > 0) {
        long wait = nextStart - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        nextStart += intervalNanos;
        if (!slots.tryAcquire()) {
          stats.outcome("visit not started: all shoppers busy (rate too high)");
          continue;
        }
      } else {
        slots.acquire();
      }
      visitsStarted.incrementAndGet();
      shoppersPool.execute(
          () -> {
            long start = System.nanoTime();
            try {
              session.visit();
            } catch (ShopClient.Unavailable e) {
              stats.outcome("visit abandoned: shop unavailable");
            } catch (RuntimeException e) {
              stats.error("visit", e.toString());
            } finally {
              stats.visitEnded(System.nanoTime() - start);
              slots.release();
            }
          });
    }
  }

  private void report(Stats stats, PrintStream log, long deadline) {
    var intervals = stats.takeIntervals();
    double seconds = reportEvery.toMillis() / 1000.0;
    long completed = stats.outcomeCount("order completed");
    double elapsed = stats.elapsedSeconds();
    lastOrderRate = completed / Math.max(1, elapsed);
    String progress =
        iterations != null
            ? visitsStarted.get() + "/" + iterations + " visits"
            : String.format(
                "%.0f%%", Math.min(100, 100 * elapsed / Math.max(1, duration.toSeconds())));
    Report.table(
        log,
        String.format(
            "[%5.0f s, %s] %d orders completed, %.1f orders/s",
            elapsed, progress, completed, lastOrderRate),
        intervals,
        seconds);
  }

  private void printOrderLine(PrintStream log, OrderEnd end) {
    boolean print =
        switch (orderLines) {
          case "all" -> true;
          case "none" -> false;
          default -> lastOrderRate <= 5;
        };
    if (print) {
      log.printf(
          "User %s from %s placed an order %s with status %s.%s%n",
          end.shopper().name(),
          end.shopper().region(),
          end.orderId(),
          end.status(),
          end.reason() == null ? "" : " (" + end.reason() + ")");
    }
  }

  private void printSummary(PrintStream log, Stats stats) {
    String summary = Report.json(stats);
    if (json) {
      System.out.println(summary);
    } else {
      Report.summary(log, stats);
    }
    if (summaryFile != null) {
      try {
        Files.writeString(summaryFile, summary);
      } catch (java.io.IOException e) {
        System.err.println("Could not write " + summaryFile + ": " + e.getMessage());
      }
    }
  }

  /** Up to --shoppers users of the region, listed with the admin token. */
  private List<Shopper> users(ShopClient client) {
    int wanted = signedIn != null ? signedIn : 4 * concurrency;
    List<Shopper> found = new ArrayList<>();
    for (int page = 0; found.size() < wanted; page++) {
      var answer =
          client.call(
              "list_users",
              "GET",
              "/users?region=" + region + "&size=100&page=" + page,
              null,
              secrets.adminToken());
      if (!answer.ok()) {
        throw new IllegalStateException(
            "listing the users answered " + answer.status() + ": is the admin token the nodes'?");
      }
      JsonNode users = answer.body().path("items");
      users.forEach(
          u ->
              found.add(
                  new Shopper(
                      u.path("userId").asText(),
                      u.path("name").asText(),
                      region,
                      u.path("email").asText())));
      if (users.size() < 100) {
        break;
      }
    }
    return found.subList(0, Math.min(found.size(), wanted));
  }

  private static List<String> products(ShopClient client) {
    List<String> found = new ArrayList<>();
    for (int page = 0; page < 10; page++) {
      JsonNode items =
          client
              .call("list_products", "GET", "/products?size=100&page=" + page, null)
              .body()
              .path("items");
      items.forEach(p -> found.add(p.path("productId").asText()));
      if (items.size() < 100) {
        break;
      }
    }
    return found;
  }
}
