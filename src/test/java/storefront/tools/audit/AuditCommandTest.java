package storefront.tools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import storefront.Api;
import storefront.ReadSide;
import storefront.Shopper;
import storefront.TestDatabase;
import storefront.TestNode;
import storefront.node.Node;
import storefront.tools.workload.WorkloadCommand;

/** The audit passes after real shopping and fails when the read side loses a row. */
class AuditCommandTest {
  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("storefront.payment.decline-rate = 0.2");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  private static int audit(Path orders) {
    return new CommandLine(new AuditCommand())
        .execute(
            "--db-port", String.valueOf(TestDatabase.port()), "--orders-file", orders.toString());
  }

  @Test
  void passesAfterShoppingAndFailsWhenAPaymentRowIsLost(@TempDir Path directory) throws Exception {
    Path orders = directory.resolve("acknowledged.txt");
    Shopper shoppers = new Shopper(new Api(node.httpPort()));
    for (int i = 0; i < 3; i++) {
      shoppers.newUser("us-central");
    }
    int shopped =
        new CommandLine(new WorkloadCommand())
            .execute(
                "--target",
                "http://127.0.0.1:" + node.httpPort(),
                "--region",
                "us-central",
                "--admin-token",
                TestNode.ADMIN_TOKEN,
                "--shopper-password",
                TestNode.PASSWORD,
                "--iterations",
                "15",
                "--concurrency",
                "3",
                "--order-lines",
                "none",
                "--orders-file",
                orders.toString());
    assertEquals(0, shopped);
    ReadSide.awaitCaughtUp(new Api(node.httpPort()));
    assertEquals(0, audit(orders), "the audit passes on an honest run");

    List<Object[]> removed = removeOnePayment();
    try {
      assertEquals(1, audit(orders), "a lost payment row fails the audit");
    } finally {
      restore(removed);
    }
    assertEquals(0, audit(orders));

    // Every table constraint and every total still holds: only the journal can tell.
    moveOneUnitBetweenWarehouses(1);
    try {
      assertEquals(1, audit(orders), "a unit moved between warehouses fails the audit");
    } finally {
      moveOneUnitBetweenWarehouses(-1);
    }
    assertEquals(0, audit(orders));
  }

  /** Moves units on sale from one warehouse of a product to another, received with them. */
  private void moveOneUnitBetweenWarehouses(int units) {
    R2dbcSession.withSession(
            node.system(),
            session ->
                session.updateOne(
                    session
                        .createStatement(
                            "WITH pair AS (SELECT product_id, min(warehouse_id::text)::uuid AS"
                                + " losing, max(warehouse_id::text)::uuid AS gaining FROM inventory"
                                + " GROUP BY product_id HAVING count(*) > 1 AND min(quantity) > 1"
                                + " ORDER BY product_id LIMIT 1) UPDATE inventory i SET quantity ="
                                + " quantity + CASE WHEN i.warehouse_id = p.gaining THEN $1 ELSE"
                                + " -$1 END, received = received + CASE WHEN i.warehouse_id ="
                                + " p.gaining THEN $1 ELSE -$1 END FROM pair p WHERE i.product_id"
                                + " = p.product_id AND i.warehouse_id IN (p.losing, p.gaining)")
                        .bind(0, units)))
        .toCompletableFuture()
        .join();
  }

  private List<Object[]> removeOnePayment() {
    return R2dbcSession.withSession(
            node.system(),
            session ->
                session.select(
                    session.createStatement(
                        "DELETE FROM payment_details WHERE payment_id = (SELECT payment_id FROM"
                            + " payment_details ORDER BY created_at DESC LIMIT 1) RETURNING *"),
                    row ->
                        new Object[] {
                          row.get("payment_id"),
                          row.get("order_id"),
                          row.get("payment_method"),
                          row.get("payment_status"),
                          row.get("transaction_id"),
                          row.get("amount"),
                          row.get("decline_reason", String.class),
                          row.get("created_at")
                        }))
        .toCompletableFuture()
        .join();
  }

  private void restore(List<Object[]> rows) {
    for (Object[] row : rows) {
      R2dbcSession.withSession(
              node.system(),
              session -> {
                var insert =
                    session.createStatement(
                        "INSERT INTO payment_details (payment_id, order_id, payment_method,"
                            + " payment_status, transaction_id, amount, decline_reason, created_at)"
                            + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
                for (int i = 0; i < row.length; i++) {
                  if (row[i] == null) {
                    insert.bindNull(i, String.class);
                  } else {
                    insert.bind(i, row[i]);
                  }
                }
                return session.updateOne(insert);
              })
          .toCompletableFuture()
          .join();
    }
  }
}
