package analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import analytics.AnalyticsQueries.AbandonedCart;
import analytics.AnalyticsQueries.RegionHour;
import analytics.AnalyticsQueries.StockLevel;
import common.Failures;
import common.Rejection;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/** The analytics queries against the real database: pages, cursors and the statement timeout. */
class AnalyticsQueriesTest {
  private static ActorTestKit testKit;
  private static AnalyticsQueries queries;

  @BeforeAll
  static void start() {
    testKit =
        TestDatabase.actorTestKit(
            "AnalyticsQueriesTest", "storefront.r2dbc.operator-queries.statement-timeout = 1s");
    queries = new AnalyticsQueries(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  // What a test inserts, removed after it: the audit tests compare the read side with the journal.
  private final List<UUID> carts = new ArrayList<>();
  private final List<UUID> orders = new ArrayList<>();
  private final List<UUID> products = new ArrayList<>();
  private final List<UUID> categories = new ArrayList<>();

  @AfterEach
  void removeRows() {
    delete("cart_items", "cart_id", carts);
    delete("carts", "cart_id", carts);
    delete("order_items", "order_id", orders);
    delete("orders", "order_id", orders);
    delete("inventory", "product_id", products);
    delete("products", "product_id", products);
    delete("categories", "category_id", categories);
  }

  private static void delete(String table, String column, List<UUID> ids) {
    TestDatabase.execute(
        testKit.system(),
        "DELETE FROM " + table + " WHERE " + column + " = ANY($1)",
        (Object) ids.toArray(UUID[]::new));
  }

  /** Reads a listing page by page until a page has no next, each page within the limit. */
  private static <T> List<T> readAll(
      int limit, Function<Optional<String>, CompletionStage<ResultPage<T>>> pageAfter) {
    List<T> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    for (int pages = 0; pages < 10_000; pages++) {
      ResultPage<T> page = pageAfter.apply(after).toCompletableFuture().join();
      assertTrue(page.items().size() <= limit, "a page holds at most the limit");
      all.addAll(page.items());
      if (page.next() == null) {
        return all;
      }
      assertEquals(limit, page.items().size(), "only the last page is short");
      after = Optional.of(page.next());
    }
    throw new AssertionError("the listing never ended");
  }

  private static <T> List<T> onePage(CompletionStage<ResultPage<T>> page) {
    ResultPage<T> result = page.toCompletableFuture().join();
    assertNull(result.next(), "everything fits one page of the maximum");
    return result.items();
  }

  @Test
  void abandonedCartsArePagedAfterTheLastCartOfAPage() {
    for (int i = 0; i < 5; i++) {
      UUID cart = UUID.randomUUID();
      carts.add(cart);
      // Idle since 2001 (a minute apart): the only carts idle for more than a year.
      OffsetDateTime at = OffsetDateTime.parse("2001-01-01T00:00:00Z").plusMinutes(i);
      TestDatabase.execute(
          testKit.system(),
          "INSERT INTO carts (cart_id, user_id, region, status, created_at, updated_at)"
              + " VALUES ($1, $2, 'us-west', 'active', $3, $3)",
          cart,
          UUID.randomUUID(),
          at);
      TestDatabase.execute(
          testKit.system(),
          "INSERT INTO cart_items (cart_id, product_id, quantity, price, added_at)"
              + " VALUES ($1, $2, 1, 1.00, $3)",
          cart,
          UUID.randomUUID(),
          at);
    }
    int yearInMinutes = 525_600;
    List<String> paged =
        readAll(2, after -> queries.abandonedCarts(yearInMinutes, 2, after.map(Cursor::keyOf)))
            .stream()
            .map(AbandonedCart::cartId)
            .toList();
    assertEquals(
        carts.stream().map(UUID::toString).toList(), paged, "longest idle first, each once");
  }

  @Test
  void salesByRegionAndHourArePagedNewestHourFirst() {
    for (String region : List.of("zz-test-b", "zz-test-a")) {
      for (int hoursAgo = 0; hoursAgo < 3; hoursAgo++) {
        UUID order = UUID.randomUUID();
        orders.add(order);
        TestDatabase.execute(
            testKit.system(),
            "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
                + " payment_method, created_at, updated_at) VALUES ($1, $2, $3, $4,"
                + " 'completed', 2.00, 'paypal', now() - make_interval(hours => $5), now())",
            order,
            UUID.randomUUID(),
            UUID.randomUUID(),
            region,
            hoursAgo);
        TestDatabase.execute(
            testKit.system(),
            "INSERT INTO order_items (order_id, product_id, quantity, price)"
                + " VALUES ($1, $2, 2, 1.00)",
            order,
            UUID.randomUUID());
      }
    }
    List<RegionHour> all =
        onePage(queries.salesByRegionHour(4, AnalyticsRoutes.MAX_LIMIT, Optional.empty()));
    assertEquals(
        all, readAll(2, after -> queries.salesByRegionHour(4, 2, after.map(Cursor::keyOf))));
    List<String> ours =
        all.stream().map(RegionHour::region).filter(r -> r.startsWith("zz-test-")).toList();
    assertEquals(6, ours.size());
    for (int i = 1; i < all.size(); i++) {
      assertFalse(all.get(i).hour().isAfter(all.get(i - 1).hour()), "newest hour first");
    }
  }

  @Test
  void rankingsArePagedByOffset() {
    UUID category = UUID.randomUUID();
    categories.add(category);
    TestDatabase.execute(
        testKit.system(),
        "INSERT INTO categories (category_id, name) VALUES ($1, $2)",
        category,
        "analytics-test-" + category);
    for (int i = 0; i < 5; i++) {
      UUID product = UUID.randomUUID();
      products.add(product);
      TestDatabase.execute(
          testKit.system(),
          "INSERT INTO products (product_id, name, price, category_id) VALUES ($1, $2, 1.00, $3)",
          product,
          "analytics test product " + i,
          category);
      TestDatabase.execute(
          testKit.system(),
          "INSERT INTO inventory (product_id, warehouse_id, warehouse_location, region, quantity,"
              + " reserved, sold, received, last_updated) VALUES ($1, $2, 'test', 'us-west', $3,"
              + " 0, 0, $3, now())",
          product,
          UUID.randomUUID(),
          i);
    }
    assertEquals(
        onePage(queries.popularity(AnalyticsRoutes.MAX_LIMIT, 0)),
        readAll(2, after -> queries.popularity(2, after.map(Cursor::offsetOf).orElse(0))));
    List<StockLevel> low = onePage(queries.lowStock(5, AnalyticsRoutes.MAX_LIMIT, 0));
    assertTrue(low.size() >= 5, "the five products with fewer than 5 units");
    assertEquals(
        low, readAll(2, after -> queries.lowStock(5, 2, after.map(Cursor::offsetOf).orElse(0))));
  }

  @Test
  void aCursorOfAnotherListingOrNoCursorAtAllIsRefused() {
    String offset = Cursor.offset(20);
    String key = Cursor.key(Instant.parse("2026-01-01T10:00:00Z"), "us-west");
    assertEquals(20, Cursor.offsetOf(offset));
    assertEquals("us-west", Cursor.keyOf(key).id());
    assertThrows(IllegalArgumentException.class, () -> Cursor.keyOf(offset));
    assertThrows(IllegalArgumentException.class, () -> Cursor.offsetOf(key));
    assertThrows(IllegalArgumentException.class, () -> Cursor.offsetOf("not a cursor!"));
    assertThrows(IllegalArgumentException.class, () -> Cursor.offsetOf(Cursor.offset(-1)));
  }

  @Test
  void aQueryRunningPastTheStatementTimeoutIsCanceledAndAnswersUnavailable() {
    long started = System.nanoTime();
    Throwable error;
    try (var lock = TestDatabase.lock(testKit.system(), "categories")) {
      error =
          assertThrows(
              CompletionException.class,
              () -> queries.popularity(10, 0).toCompletableFuture().join());
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    Rejection rejection = ((Rejection.RejectedException) Failures.unwrapped(error)).rejection();
    assertEquals(Rejection.Kind.UNAVAILABLE, rejection.kind());
    assertTrue(rejection.reason().contains("longer than 1s"), rejection.reason());
    assertTrue(tookMs < 5_000, "canceled after about a second, not " + tookMs + " ms");
  }
}
