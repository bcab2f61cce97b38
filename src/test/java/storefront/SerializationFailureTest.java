package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import catalog.Product;
import catalog.SampleCatalog;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.node.Node;
import storefront.tools.audit.AuditCommand;

/**
 * CockroachDB answers every serialization conflict with SQLSTATE 40001 and rolls the transaction
 * back; its clients must run it again. PostgreSQL is made to do the same here: a trigger refuses
 * chosen rows with 40001 (counted by a sequence, which a rollback does not undo, so a retried
 * transaction gets past them). A registration, the gateway's ledger and a read-side batch each meet
 * one, and the shop still ends equal to its journal.
 */
class SerializationFailureTest {
  private static final List<String> TABLES =
      List.of("users", "payment_gateway_charges", "order_items");
  private static Node node;

  @BeforeAll
  static void start() {
    node = TestNode.start("");
    dropTriggers();
    sql(
        "CREATE OR REPLACE FUNCTION refuse_rows_with_40001() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN"
            + "   IF nextval(TG_ARGV[0]::regclass) = ANY (TG_ARGV[1]::bigint[]) THEN"
            + "     RAISE EXCEPTION 'forced serialization failure' USING ERRCODE = '40001';"
            + "   END IF;"
            + "   RETURN NEW;"
            + " END $$");
    // The first user and the first charge; the third and sixth order line: in the middle of the
    // read side's batch for an order of four lines, then in the middle of its retry.
    refuse("users", "{1}");
    refuse("payment_gateway_charges", "{1}");
    refuse("order_items", "{3,6}");
    // CockroachDB may also refuse at COMMIT, after every statement succeeded: a deferred trigger
    // does that here, on the batch that holds the order's second status row.
    sql("CREATE SEQUENCE rows_seen_order_status_history");
    sql(
        "CREATE CONSTRAINT TRIGGER refuse_with_40001 AFTER INSERT ON order_status_history"
            + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
            + " EXECUTE FUNCTION refuse_rows_with_40001('rows_seen_order_status_history', '{2}')");
  }

  @AfterAll
  static void stop() {
    try {
      dropTriggers();
    } finally {
      node.close();
    }
  }

  /** The function with its triggers, and their counters; also what a run broken off left. */
  private static void dropTriggers() {
    sql("DROP FUNCTION IF EXISTS refuse_rows_with_40001() CASCADE");
    for (String table : TABLES) {
      sql("DROP SEQUENCE IF EXISTS rows_seen_" + table);
    }
  }

  private static void refuse(String table, String rowNumbers) {
    sql("CREATE SEQUENCE rows_seen_" + table);
    sql(
        "CREATE TRIGGER refuse_with_40001 BEFORE INSERT ON "
            + table
            + " FOR EACH ROW EXECUTE FUNCTION refuse_rows_with_40001('rows_seen_"
            + table
            + "', '"
            + rowNumbers
            + "')");
  }

  private static void sql(String statement) {
    R2dbcSession.withSession(
            node.system(),
            session -> session.select(session.createStatement(statement), row -> row))
        .toCompletableFuture()
        .join();
  }

  private static long rowsSeen(String table) {
    return ReadSide.count(node.system(), "SELECT last_value FROM rows_seen_" + table);
  }

  @Test
  void writesRefusedWith40001AreRetriedAndTheShopStillEqualsItsJournal() {
    Api api = new Api(node.httpPort());
    Shopper shopper = new Shopper(api);
    String user = shopper.newUser("us-east");
    assertEquals(2, rowsSeen("users"), "the registration's first insert was refused, then retried");

    List<Product> products = SampleCatalog.products().subList(0, 4);
    String cart = shopper.openCart(user);
    products.forEach(product -> shopper.add(cart, product.productId(), 1));
    String order = shopper.checkout(cart, "credit card");
    assertEquals("completed", shopper.awaitEnded(order).text("status"));
    assertTrue(
        rowsSeen("payment_gateway_charges") >= 2,
        "the charge's first record was refused, then retried");

    ReadSide.awaitCaughtUp(api);
    assertEquals(
        4,
        ReadSide.count(
            node.system(),
            "SELECT count(*) FROM order_items WHERE order_id = '" + order + "'::uuid"),
        "every line of the order on the read side, once");
    assertTrue(
        rowsSeen("order_items") >= 10,
        "lines 3 and 6 refused, the batch written again after each (2 + 2 + 4 rows tried): "
            + rowsSeen("order_items"));
    assertTrue(
        rowsSeen("order_status_history") > 2, "a commit was refused, and the batch written again");
    assertEquals(
        0,
        new CommandLine(new AuditCommand())
            .execute("--db-port", String.valueOf(TestDatabase.port())),
        "the audit passes: the read side equals the journal, every charge recorded once");
  }
}
