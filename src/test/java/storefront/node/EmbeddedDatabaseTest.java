package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;
import storefront.TestNode;

class EmbeddedDatabaseTest {
  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void aTakenPortIsReportedInsteadOfSharingAnotherServer() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      var error =
          assertThrows(
              IllegalStateException.class,
              () ->
                  EmbeddedDatabase.start(
                      Path.of("target", "port-taken-postgres"), taken.getLocalPort()));
      assertTrue(error.getMessage().contains("already in use"), error.getMessage());
    }
  }

  @Test
  void theServerRunsWithDurableSettings() {
    assertEquals("on", setting("fsync"));
    assertEquals("on", setting("synchronous_commit"));
    assertEquals("on", setting("full_page_writes"));
  }

  @Test
  void theSchemaCanBeAppliedAgainAndKeepsTheData() {
    UUID warehouse = UUID.randomUUID();
    TestDatabase.execute(
        node.system(),
        "INSERT INTO warehouses (warehouse_id, region, location) VALUES ($1, 'us-west', $2)",
        warehouse,
        "Test " + warehouse);

    Schema.apply(node.system()).toCompletableFuture().join();

    long kept =
        R2dbcSession.withSession(
                node.system(),
                session ->
                    session.selectOne(
                        session
                            .createStatement(
                                "SELECT count(*) AS n FROM warehouses WHERE warehouse_id = $1")
                            .bind(0, warehouse),
                        row -> row.get("n", Long.class)))
            .toCompletableFuture()
            .join()
            .orElseThrow();
    assertEquals(1, kept, "applying the DDL again drops nothing");
    TestDatabase.execute(
        node.system(), "DELETE FROM warehouses WHERE warehouse_id = $1", warehouse);
  }

  private static String setting(String name) {
    return R2dbcSession.withSession(
            node.system(),
            session ->
                session.selectOne(
                    session.createStatement("SELECT current_setting($1) AS value").bind(0, name),
                    row -> row.get("value", String.class)))
        .toCompletableFuture()
        .join()
        .orElseThrow();
  }
}
