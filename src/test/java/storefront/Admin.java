package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import catalog.SampleCatalog;
import java.util.UUID;
import storefront.node.Node;

/** What an operator does in tests: add a product of the test's own, restock it. */
final class Admin {
  private Admin() {}

  static void restock(Api api, String productId, String warehouse, int quantity) {
    var request =
        api.builder("/admin/products/" + productId + "/restock")
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TestNode.ADMIN_TOKEN)
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
    addProduct(node, productId);
    return productId;
  }

  /** Adds a product with this id to the catalog, with no stock. */
  static void addProduct(Node node, String productId) {
    String category = SampleCatalog.products().get(0).categoryId();
    TestDatabase.execute(
        node.system(),
        "INSERT INTO products (product_id, name, description, price, category_id)"
            + " VALUES ($1, $2, '', 19.99, $3)",
        UUID.fromString(productId),
        "Flash sale item " + productId,
        UUID.fromString(category));
  }
}
