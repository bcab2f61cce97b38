package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.persistence.Persistence;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import akka.persistence.typed.PersistenceId;
import cart.ShoppingCart;
import common.Asks;
import common.StoredEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import order.Order;
import order.payment.Payment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.node.EmbeddedDatabase;
import storefront.node.Node;
import storefront.node.Schema;
import storefront.tools.Directories;
import storefront.tools.audit.AuditCommand;

/**
 * A node of this version over a database that version 1 wrote (src/test/resources/events/v1/): its
 * entities recover from the old bytes in the real journal, its read side projects them, new events
 * are written as version 2 beside them, and the audit holds over both. A database of its own, so
 * that the made-up history meets no other test's data.
 */
class UpgradeFromVersion1Test {
  private static final Path DATA = Path.of("target", "upgrade-postgres");
  private static final String OUT_OF_STOCK = "00000000-0000-4000-8000-0000000000a1";
  private static final String DECLINED = "00000000-0000-4000-8000-0000000000a2";
  private static final String COMPLETED = "00000000-0000-4000-8000-0000000000a3";
  private static final String PRODUCT = "00000000-0000-4000-8000-0000000000f1";
  private static final String SHOPPER = "00000000-0000-4000-8000-0000000000d1";
  private static final String DECLINED_CART = "00000000-0000-4000-8000-0000000000c2";
  private static final String COMPLETED_CART = "00000000-0000-4000-8000-0000000000c3";
  private static int databasePort;
  private static EmbeddedDatabase database;
  private static Node node;
  private static Api api;

  @BeforeAll
  static void start() {
    Directories.deleteRecursively(DATA);
    databasePort = TestDatabase.freePort();
    database = EmbeddedDatabase.start(DATA, databasePort);
    node = TestNode.start("", databasePort);
    api = new Api(node.httpPort());
  }

  @AfterAll
  static void stop() {
    try {
      if (node != null) {
        node.close();
      }
    } finally {
      database.close();
      Directories.deleteRecursively(DATA);
    }
  }

  /** Inserts the event as the journal holds it: the old bytes under their old manifest. */
  private static void journal(StoredEvent event) {
    TestDatabase.execute(
        node.system(),
        "INSERT INTO event_journal (slice, entity_type, persistence_id, seq_nr, db_timestamp,"
            + " event_ser_id, event_ser_manifest, event_payload, writer, adapter_manifest)"
            + " VALUES ($1, $2, $3, $4, transaction_timestamp(), $5, $6, $7, '', '')",
        Persistence.get(node.system().classicSystem()).sliceForPersistenceId(event.persistenceId()),
        PersistenceId.extractEntityType(event.persistenceId()),
        event.persistenceId(),
        event.seqNr(),
        event.serializerId(),
        event.manifest(),
        event.payload());
  }

  private static void snapshot(StoredEvent snapshot) {
    TestDatabase.execute(
        node.system(),
        "INSERT INTO snapshot (slice, entity_type, persistence_id, seq_nr, write_timestamp, ser_id,"
            + " ser_manifest, snapshot) VALUES ($1, $2, $3, $4, 0, $5, $6, $7)",
        Persistence.get(node.system().classicSystem())
            .sliceForPersistenceId(snapshot.persistenceId()),
        PersistenceId.extractEntityType(snapshot.persistenceId()),
        snapshot.persistenceId(),
        snapshot.seqNr(),
        snapshot.serializerId(),
        snapshot.manifest(),
        snapshot.payload());
  }

  /** What the gateway recorded for the old orders' charges: its ledger outlives the upgrade. */
  private static void gatewayLedger(List<StoredEvent> orderEvents) {
    for (StoredEvent stored : orderEvents) {
      Object event = stored.deserialize(node.system());
      Payment p =
          event instanceof Order.PaymentCharged c
              ? c.payment()
              : event instanceof Order.PaymentDeclined d ? d.payment() : null;
      if (p != null) {
        TestDatabase.execute(
            node.system(),
            "INSERT INTO payment_gateway_charges (order_id, payment_id, transaction_id,"
                + " payment_method, amount, status, decline_reason, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, ''), $8)",
            PersistenceId.extractEntityId(stored.persistenceId()),
            UUID.fromString(p.paymentId()),
            p.transactionId(),
            p.method(),
            p.amount(),
            p.completed() ? "completed" : "failed",
            p.declineReason() == null ? "" : p.declineReason(),
            p.at());
      }
    }
  }

  /** The cart as its entity recovers it from the journal, in a line: status, order, lines. */
  private static String recovered(String cartId) {
    ShoppingCart.CartView cart =
        Asks.<ShoppingCart.Command, ShoppingCart.CartView>ask(
                ShoppingCart.entityRef(node.system(), cartId),
                r -> new ShoppingCart.ByShopper(SHOPPER, new ShoppingCart.Get(r)),
                Duration.ofSeconds(30))
            .toCompletableFuture()
            .join();
    return cart.status().label()
        + " "
        + cart.orderId()
        + " "
        + cart.items().stream()
            .map(line -> line.productId() + " x" + line.quantity() + " " + line.amount())
            .toList();
  }

  private static String cause(Api.Response order) {
    return order.text("status") + " " + order.body().path("cancelCause").asText();
  }

  @Test
  void entitiesAndTheReadSideRecoverFromVersion1BytesAndNewEventsJoinThem() {
    List<StoredEvent> orderEvents = StoredEvent.load("events/v1/order-events.tsv");
    orderEvents.forEach(UpgradeFromVersion1Test::journal);
    StoredEvent.load("events/v1/product-stock-events.tsv")
        .forEach(UpgradeFromVersion1Test::journal);
    snapshot(StoredEvent.load("events/v1/product-stock-snapshot.tsv").get(0));
    StoredEvent.load("events/v1/cart-events.tsv").forEach(UpgradeFromVersion1Test::journal);
    gatewayLedger(orderEvents);
    Admin.addProduct(node, PRODUCT);

    List<String> causes = new ArrayList<>();
    for (String orderId : List.of(OUT_OF_STOCK, DECLINED, COMPLETED)) {
      causes.add(cause(api.asOperator().get("/orders/" + orderId)));
    }
    assertEquals(
        List.of("canceled out_of_stock", "canceled payment_declined", "completed null"), causes);
    assertEquals(
        List.of(
            "inactive " + COMPLETED + " [" + PRODUCT + " x2 6.00]",
            "canceled " + DECLINED + " [" + PRODUCT + " x1 3.00]"),
        List.of(recovered(COMPLETED_CART), recovered(DECLINED_CART)),
        "carts checked out under version 1's CheckedOutEvent");
    var inventory = api.get("/inventory/" + PRODUCT);
    assertEquals(200, inventory.status(), inventory.toString());
    var stock = inventory.body();
    assertEquals(
        "13 0 2 15",
        stock.path("available").asInt()
            + " "
            + stock.path("reserved").asInt()
            + " "
            + stock.path("sold").asInt()
            + " "
            + stock.path("received").asInt());

    // A cancellation of this version: a product of its own, with no stock.
    Shopper shopper = new Shopper(api);
    String cartId = shopper.openCart(shopper.newUser("us-west"));
    shopper.add(cartId, Admin.newProduct(node), 1);
    String newOrder = shopper.checkout(cartId, "paypal");
    assertEquals("canceled out_of_stock", cause(shopper.awaitEnded(newOrder)));
    assertEquals(
        List.of("order.Order$CancellationStarted", "order.Order$CancellationStarted#2"),
        ReadSide.query(
            node.system(),
            "SELECT event_ser_manifest FROM event_journal"
                + " WHERE event_ser_manifest LIKE 'order.Order$CancellationStarted%'"
                + " ORDER BY event_ser_manifest",
            null,
            row -> row.get(0, String.class)));

    ReadSide.awaitCaughtUp(api);
    assertEquals(
        List.of(
            OUT_OF_STOCK + " canceled out_of_stock",
            DECLINED + " canceled payment_declined",
            COMPLETED + " completed null",
            newOrder + " canceled out_of_stock"),
        ReadSide.query(
            node.system(),
            "SELECT order_id::text || ' ' || order_status || ' ' || COALESCE(cancel_cause, 'null')"
                + " FROM orders ORDER BY created_at, order_id",
            null,
            row -> row.get(0, String.class)));
    assertEquals(
        List.of("us-west 8 0 2 10", "us-east 5 0 0 5"),
        ReadSide.query(
            node.system(),
            "SELECT region || ' ' || quantity || ' ' || reserved || ' ' || sold || ' ' || received"
                + " FROM inventory WHERE product_id = $1 ORDER BY warehouse_id",
            PRODUCT,
            row -> row.get(0, String.class)));
    assertEquals(
        List.of(DECLINED_CART + " canceled " + DECLINED, COMPLETED_CART + " inactive " + COMPLETED),
        ReadSide.query(
            node.system(),
            "SELECT cart_id::text || ' ' || status || ' ' || order_id FROM carts"
                + " WHERE cart_id = ANY($1) ORDER BY cart_id",
            (Object) new UUID[] {UUID.fromString(DECLINED_CART), UUID.fromString(COMPLETED_CART)},
            row -> row.get(0, String.class)));
    assertEquals(
        List.of("insert", "insert", "update", "delete"),
        ReadSide.query(
            node.system(),
            "SELECT operation FROM cart_item_events WHERE cart_id = $1 ORDER BY seq_nr",
            COMPLETED_CART,
            row -> row.get(0, String.class)),
        "the change log of version 1's lines");

    assertEquals(
        0,
        new CommandLine(new AuditCommand()).execute("--db-port", String.valueOf(databasePort)),
        "the audit holds over old and new events");
  }

  /**
   * The orders table as version 1 created it, with rows its read side wrote: this version's schema
   * adds the column and gives the canceled orders their cause, from their payments.
   */
  @Test
  void ordersCanceledBeforeTheCauseExistedGetItWhenTheSchemaIsApplied() {
    UUID outOfStock = UUID.randomUUID();
    UUID declined = UUID.randomUUID();
    UUID completed = UUID.randomUUID();
    UUID[] orders = {outOfStock, declined, completed};
    try {
      // DDL answers no row count, so it runs as a query that yields no rows.
      R2dbcSession.withSession(
              node.system(),
              session ->
                  session.select(
                      session.createStatement("ALTER TABLE orders DROP COLUMN cancel_cause"),
                      row -> row))
          .toCompletableFuture()
          .join();
      versionOneRow(outOfStock, "canceled", "product p out of stock: requested 2, available 0");
      versionOneRow(declined, "canceled", "payment declined: suspected fraud");
      versionOneRow(completed, "completed", "");
      payment(declined, "failed");
      payment(completed, "completed");

      Schema.apply(node.system()).toCompletableFuture().join();

      assertEquals(
          List.of("out_of_stock", "payment_declined", "null"),
          List.of(causeRow(outOfStock), causeRow(declined), causeRow(completed)));
    } finally {
      TestDatabase.execute(
          node.system(), "DELETE FROM payment_details WHERE order_id = ANY($1)", (Object) orders);
      TestDatabase.execute(
          node.system(), "DELETE FROM orders WHERE order_id = ANY($1)", (Object) orders);
    }
  }

  private static void versionOneRow(UUID orderId, String status, String reason) {
    TestDatabase.execute(
        node.system(),
        "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
            + " payment_method, cancel_reason, created_at, updated_at) VALUES ($1, $2, $3,"
            + " 'us-west', $4, 3, 'paypal', NULLIF($5, ''), $6, $6)",
        orderId,
        UUID.randomUUID(),
        UUID.randomUUID(),
        status,
        reason,
        Instant.now());
  }

  private static void payment(UUID orderId, String status) {
    TestDatabase.execute(
        node.system(),
        "INSERT INTO payment_details (payment_id, order_id, payment_method, payment_status,"
            + " transaction_id, amount, created_at) VALUES ($1, $2, 'paypal', $3, 'PAYID-T', 3,"
            + " now())",
        UUID.randomUUID(),
        orderId,
        status);
  }

  private static String causeRow(UUID orderId) {
    return ReadSide.query(
            node.system(),
            "SELECT COALESCE(cancel_cause, 'null') FROM orders WHERE order_id = $1",
            orderId,
            row -> row.get(0, String.class))
        .get(0);
  }
}
