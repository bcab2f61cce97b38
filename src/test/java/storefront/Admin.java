package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import catalog.SampleCatalog;
import java.util.UUID;

/** What an operator does in tests: add a product of the test's own, restock it. */
final class Admin {
  private Admin() {}

  static void restock(Api api, String productId, String warehouse, int quantity) {
    var request =
        api.builder("/admin/products/" + productId + "/restock")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer change-me")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"warehouse\":\"" + warehouse + "\",\"quantity\":" + quantity + "}"))
            .build();
    var response = api.send(request);
    assertEquals(200, response.status(), response.toString());
  }

  /** A product of its own for a test, so that no other test touches its stock. */
  static String newProduct(Node node) {
    String productId = UUID.randomUUID().toString();
    String category = SampleCatalog.products().get(0).categoryId();
    R2dbcSession.withSession(
            node.system(),
            session ->
                session.updateOne(
                    session
                        .createStatement(
                            "INSERT INTO products (product_id, name, description, price,"
                                + " category_id) VALUES ($1, $2, '', 19.99, $3)")
                        .bind(0, UUID.fromString(productId))
                        .bind(1, "Flash sale item " + productId)
                        .bind(2, UUID.fromString(category))))
        .toCompletableFuture()
        .join();
    return productId;
  }
}
