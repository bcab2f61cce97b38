package storefront.tools.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.Api;
import storefront.TestDatabase;
import storefront.TestNode;
import storefront.node.Node;

/** datagen against a real node: rows in the tables, stock in the entities, safe to run again. */
class DatagenCommandTest {
  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private int datagen() {
    return new CommandLine(new DatagenCommand())
        .execute(
            "--seed", "99",
            "--users", "300",
            "--products", "12",
            "--min-stock", "10",
            "--max-stock", "20",
            "--regions", "us-west,us-east,eu-north",
            "--target", "http://127.0.0.1:" + node.httpPort(),
            "--admin-token", TestNode.ADMIN_TOKEN,
            "--shopper-password", TestNode.PASSWORD,
            "--db-port", String.valueOf(TestDatabase.port()));
  }

  @Test
  void generatedDataLandsInTheTablesAndTheEntitiesOnceEvenWhenRunTwice() throws Exception {
    assertEquals(0, datagen());
    DataGenerator generator = new DataGenerator(99);
    var product = generator.products(12).get(5);
    var warehouses = generator.warehouses(List.of("us-west", "us-east", "eu-north"), 1);
    var expected = generator.stock(List.of(product), warehouses, 10, 20);
    JsonNode first = inventory(product.id().toString());
    assertEquals(
        expected.stream().mapToInt(DataGenerator.Stock::quantity).sum(),
        first.path("available").asInt());
    assertEquals(3, first.path("warehouses").size());

    assertEquals(0, datagen(), "running it again is safe");
    assertEquals(first, inventory(product.id().toString()), "and adds no stock twice");

    var generated = generator.users(300, List.of("us-west", "us-east", "eu-north"));
    Api api = new Api(node.httpPort());
    JsonNode users = api.asOperator().get("/users?region=eu-north&size=100").body();
    assertEquals(
        generated.stream().filter(u -> u.region().equals("eu-north")).count(),
        users.path("total").asLong());
    var user = generated.get(2);
    var signedIn =
        api.post(
            "/sessions",
            "{\"email\":\"" + user.email() + "\",\"password\":\"" + TestNode.PASSWORD + "\"}");
    assertEquals(200, signedIn.status(), "a generated user signs in: " + signedIn);
    String userId = signedIn.text("userId");
    assertEquals(
        user.email(), api.as(signedIn.text("token")).get("/users/" + userId).text("email"));
    assertTrue(get("/products/" + product.id()).path("name").asText().length() > 0);
  }

  private JsonNode inventory(String productId) throws Exception {
    return get("/inventory/" + productId);
  }

  private JsonNode get(String path) {
    var response = new Api(node.httpPort()).get(path);
    assertEquals(200, response.status(), response.toString());
    return response.body();
  }
}
