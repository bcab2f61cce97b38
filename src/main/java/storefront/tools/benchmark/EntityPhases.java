package storefront.tools.benchmark;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.japi.function.Function;
import cart.ShoppingCart;
import common.Asks;
import common.Reply;
import inventory.ProductStock;
import inventory.Stock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The entities' own figures, asked from the load member through Cluster Sharding as the HTTP routes
 * would: events persisted per second, reservations per second on one hot product, and carts opened
 * (for the heap they take on the nodes). Ids are UUIDs, as the read side stores them.
 */
final class EntityPhases {
  private static final Duration ASK = Duration.ofSeconds(10);
  private static final String REGION = WorkloadRuns.REGION;

  /** A closed-loop phase: calls that succeeded (and per second), failures, latency. */
  record Rate(
      int callers,
      long succeeded,
      long failed,
      double seconds,
      double perSecond,
      double p50Ms,
      double p99Ms) {
    static Rate of(int callers, ClosedLoop.Result result) {
      return new Rate(
          callers,
          result.succeeded(),
          result.failed(),
          result.seconds(),
          result.perSecond(),
          result.latencyMicros().getValueAtPercentile(50) / 1000.0,
          result.latencyMicros().getValueAtPercentile(99) / 1000.0);
    }
  }

  /**
   * The hot product's stock afterwards. It adds up when received = available + reserved + sold and
   * every unit sold is a reservation the callers saw succeed: nothing oversold, nothing lost.
   */
  record Reservations(Rate rate, StockCount stock, boolean stockAddsUp) {
    static Reservations of(Rate rate, ProductStock.StockView view) {
      StockCount stock =
          new StockCount(view.received(), view.available(), view.reserved(), view.sold());
      return new Reservations(
          rate,
          stock,
          stock.received() == stock.available() + stock.reserved() + stock.sold()
              && stock.sold() == rate.succeeded());
    }
  }

  /** A product's units, as the report shows them (the entity's view stays in this class). */
  record StockCount(int received, int available, int reserved, int sold) {}

  private final ActorSystem<?> system;
  private final int callers;

  /** Carts belong to a user; the entity does not look the user up. */
  private final String shopper = UUID.randomUUID().toString();

  EntityPhases(ActorSystem<?> system, int callers) {
    this.system = system;
    this.callers = callers;
  }

  /** Each caller flips the quantity of the one line of its own cart: one event per change. */
  Rate eventsPersisted(Duration duration) {
    String product = UUID.randomUUID().toString();
    List<String> carts = new ArrayList<>();
    List<CompletableFuture<?>> opened = new ArrayList<>();
    for (int i = 0; i < callers; i++) {
      String cartId = UUID.randomUUID().toString();
      carts.add(cartId);
      opened.add(openWithOneLine(cartId, product).toCompletableFuture());
    }
    CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).join();
    int[] flips = new int[callers];
    return Rate.of(
        callers,
        ClosedLoop.run(
            callers,
            duration,
            loop ->
                askCart(
                    carts.get(loop),
                    r ->
                        new ShoppingCart.ChangeQuantity(
                            product, 1 + (++flips[loop] % 2), BigDecimal.TEN, r))));
  }

  /**
   * Every caller reserves one unit of the same product for a new order and commits it, as a paid
   * order does; then the stock is read back.
   */
  Reservations hotProductReservations(Duration duration, int hotCallers) {
    String product = UUID.randomUUID().toString();
    Stock stock = new Stock(system, ASK);
    stock
        .restock(
            product,
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            REGION,
            100_000_000)
        .toCompletableFuture()
        .join();
    var entity = ProductStock.entityRef(system, product);
    ClosedLoop.Result result =
        ClosedLoop.run(
            hotCallers,
            duration,
            loop -> {
              String orderId = UUID.randomUUID().toString();
              return Asks.<ProductStock.Command, ProductStock.Reserved>ask(
                      entity,
                      r -> new ProductStock.Reserve(orderId, 1, REGION, Instant.now().plus(ASK), r),
                      ASK)
                  .thenCompose(
                      reserved ->
                          Asks.<ProductStock.Command, ProductStock.ReservationEnded>ask(
                              entity, r -> new ProductStock.Commit(orderId, r), ASK));
            });
    return Reservations.of(
        Rate.of(hotCallers, result), stock.get(product).toCompletableFuture().join());
  }

  /** Opens carts with one line each, until there are this many or the time is up. */
  ClosedLoop.Result openCarts(int carts, Duration limit) {
    String product = UUID.randomUUID().toString();
    return ClosedLoop.times(
        callers, carts, limit, loop -> openWithOneLine(UUID.randomUUID().toString(), product));
  }

  private CompletionStage<ShoppingCart.CartView> openWithOneLine(String cartId, String product) {
    return askCart(cartId, r -> new ShoppingCart.Open(shopper, REGION, List.of(), r))
        .thenCompose(
            opened ->
                askCart(cartId, r -> new ShoppingCart.AddItem(product, 1, BigDecimal.TEN, r)));
  }

  private CompletionStage<ShoppingCart.CartView> askCart(
      String cartId,
      Function<ActorRef<Reply<ShoppingCart.CartView>>, ShoppingCart.Command> command) {
    return Asks.ask(ShoppingCart.entityRef(system, cartId), command, ASK);
  }
}
