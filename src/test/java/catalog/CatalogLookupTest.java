package catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import common.Rejection;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/**
 * Products looked up by id are remembered for a while; ids not found are not. A user's email is
 * taken once, and only that constraint reads as "email exists".
 */
class CatalogLookupTest {
  private static ActorTestKit testKit;
  private static Catalog catalog;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("CatalogLookupTest");
    catalog = new Catalog(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static void sql(String statement, UUID id, BigDecimal price) {
    R2dbcSession.withSession(
            testKit.system(),
            session -> {
              var s = session.createStatement(statement).bind(0, id);
              if (price != null) {
                s.bind(1, price);
              }
              return session.updateOne(s);
            })
        .toCompletableFuture()
        .join();
  }

  @Test
  void aProductNotFoundIsFoundOnceItExistsAndThenRemembered() {
    UUID id = UUID.randomUUID();
    assertTrue(catalog.product(id).toCompletableFuture().join().isEmpty());

    sql(
        "INSERT INTO categories (category_id, name) VALUES ($1, 'Lookup test ' || $1::text)",
        id,
        null);
    sql(
        "INSERT INTO products (product_id, name, price, category_id) VALUES ($1, 'x', $2, $1)",
        id,
        new BigDecimal("3.00"));
    assertEquals(
        new BigDecimal("3.00"),
        catalog.product(id).toCompletableFuture().join().orElseThrow().price());

    sql("UPDATE products SET price = $2 WHERE product_id = $1", id, new BigDecimal("4.00"));
    assertEquals(
        new BigDecimal("3.00"),
        catalog.product(id).toCompletableFuture().join().orElseThrow().price(),
        "remembered for " + Catalog.CACHED_FOR);
  }

  private static User user(String userId, String email) {
    return new User(userId, "Ada", email, "us-west", "", "", "", "");
  }

  @Test
  void onlyATakenEmailIsTheConflictEmailExists() {
    String email = UUID.randomUUID() + "@example.com";
    String userId = UUID.randomUUID().toString();
    catalog.createUser(user(userId, email), null, null, null).toCompletableFuture().join();

    var sameEmail =
        assertThrows(
            CompletionException.class,
            () ->
                catalog
                    .createUser(user(UUID.randomUUID().toString(), email), null, null, null)
                    .toCompletableFuture()
                    .join());
    Rejection rejection = ((Rejection.RejectedException) sameEmail.getCause()).rejection();
    assertEquals(Rejection.Kind.CONFLICT, rejection.kind());
    assertTrue(rejection.reason().contains("already exists"), rejection.reason());

    var sameId =
        assertThrows(
            CompletionException.class,
            () ->
                catalog
                    .createUser(user(userId, UUID.randomUUID() + "@example.com"), null, null, null)
                    .toCompletableFuture()
                    .join());
    assertFalse(
        sameId.getCause() instanceof Rejection.RejectedException,
        "a clash of ids is not an email that exists: " + sameId.getCause());
  }
}
