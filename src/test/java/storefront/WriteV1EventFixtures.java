package storefront;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.Serializers;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import common.EntityTestKits;
import inventory.ProductStock;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import order.Order;
import order.OrderDraft;
import order.OrderLine;
import order.Payment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the version-1 fixtures of src/test/resources/events/v1/ with the code of this commit:
 * three orders' journals (out of stock, declined, completed) and one product's journal and
 * snapshot. Runs only when asked ({@code mvn -B test -Dtest=WriteV1EventFixtures
 * -Dfixtures.write=true}) and never overwrites a fixture: old bytes are kept forever.
 */
@EnabledIfSystemProperty(named = "fixtures.write", matches = "true")
class WriteV1EventFixtures {
  private static final Path DIRECTORY = Path.of("src", "test", "resources", "events", "v1");
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  private static final String USER = "00000000-0000-4000-8000-0000000000d1";
  private static final String P1 = "00000000-0000-4000-8000-0000000000f1";
  private static final String P2 = "00000000-0000-4000-8000-0000000000f2";
  private static final String W1 = "00000000-0000-4000-8000-0000000000e1";
  private static final String W2 = "00000000-0000-4000-8000-0000000000e2";
  private static final String OUT_OF_STOCK = "00000000-0000-4000-8000-0000000000a1";
  private static final String DECLINED = "00000000-0000-4000-8000-0000000000a2";
  private static final String COMPLETED = "00000000-0000-4000-8000-0000000000a3";
  private static final ObjectMapper CBOR =
      new ObjectMapper(new CBORFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static OrderDraft draft(
      String orderId, String cartId, String method, OrderLine... lines) {
    return new OrderDraft(orderId, cartId, USER, "us-west", List.of(lines), method);
  }

  @Test
  void writeFixtures() throws IOException {
    ActorTestKit testKit = EntityTestKits.create("WriteV1EventFixtures");
    try {
      Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
      write(
          serialization,
          "order-events.tsv",
          "Three orders' journals, as version 1 wrote them",
          orderJournals());
      write(
          serialization,
          "product-stock-events.tsv",
          "One product's journal (restocks, reservations, a batch, a release, a commit), as version"
              + " 1 wrote it",
          List.of(productJournal()));
      write(
          serialization,
          "product-stock-snapshot.tsv",
          "The product's snapshot after its 4th event, as version 1 wrote it",
          List.of(productSnapshot()));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private record Journal(String persistenceId, String title, List<Object> events) {}

  private static List<Journal> orderJournals() {
    String refusal = "product " + P2 + " out of stock: requested 5, available 1";
    OrderDraft outOfStock =
        draft(
            OUT_OF_STOCK,
            "00000000-0000-4000-8000-0000000000c1",
            "credit card",
            new OrderLine(P1, 2, new BigDecimal("3.00")),
            new OrderLine(P2, 5, new BigDecimal("5.00")));
    OrderDraft declined =
        draft(
            DECLINED,
            "00000000-0000-4000-8000-0000000000c2",
            "paypal",
            new OrderLine(P1, 1, new BigDecimal("3.00")));
    OrderDraft completed =
        draft(
            COMPLETED,
            "00000000-0000-4000-8000-0000000000c3",
            "credit card",
            new OrderLine(P1, 2, new BigDecimal("3.00")));
    return List.of(
        new Journal(
            "Order|" + OUT_OF_STOCK,
            "canceled: a line out of stock",
            List.of(
                new Order.OrderPlaced(outOfStock, new BigDecimal("31.00"), at(0)),
                new Order.LineReserved(P1, at(1)),
                new Order.LineRefused(P2, refusal, at(1)),
                new Order.CancellationStarted(refusal, at(1)),
                new Order.OrderCanceled(refusal, at(2)),
                new Order.CartNotified(at(2)))),
        new Journal(
            "Order|" + DECLINED,
            "canceled: payment declined",
            List.of(
                new Order.OrderPlaced(declined, new BigDecimal("3.00"), at(0)),
                new Order.StockReserved(at(1)),
                new Order.PaymentDeclined(
                    new Payment(
                        "00000000-0000-4000-8000-000000000092",
                        "PAYID-FIXTURE00000000000000002",
                        "paypal",
                        new BigDecimal("3.00"),
                        Payment.Status.FAILED,
                        "insufficient funds",
                        at(2))),
                new Order.OrderCanceled("payment declined: insufficient funds", at(3)),
                new Order.CartNotified(at(3)))),
        new Journal(
            "Order|" + COMPLETED,
            "completed",
            List.of(
                new Order.OrderPlaced(completed, new BigDecimal("6.00"), at(0)),
                new Order.StockReserved(at(1)),
                new Order.PaymentCharged(
                    new Payment(
                        "00000000-0000-4000-8000-000000000093",
                        "ch_FIXTURE0000000000000000003",
                        "credit card",
                        new BigDecimal("6.00"),
                        Payment.Status.COMPLETED,
                        null,
                        at(2))),
                new Order.OrderCompleted(at(3)),
                new Order.CartNotified(at(3)))));
  }

  private static Journal productJournal() {
    return new Journal(
        "ProductStock|" + P1,
        "product " + P1,
        List.of(
            new ProductStock.StockReceived("restock-1", W1, "us-west", 10),
            new ProductStock.StockReceived("restock-2", W2, "us-east", 5),
            new ProductStock.StockReserved(
                OUT_OF_STOCK, List.of(new ProductStock.Allocation(W1, 2))),
            new ProductStock.StockChanged(
                List.of(
                    new ProductStock.StockReserved(
                        DECLINED, List.of(new ProductStock.Allocation(W1, 1))),
                    new ProductStock.StockReserved(
                        COMPLETED, List.of(new ProductStock.Allocation(W1, 2))),
                    new ProductStock.StockReleased(
                        OUT_OF_STOCK, List.of(new ProductStock.Allocation(W1, 2))))),
            new ProductStock.StockReleased(DECLINED, List.of(new ProductStock.Allocation(W1, 1))),
            new ProductStock.StockCommitted(
                COMPLETED, List.of(new ProductStock.Allocation(W1, 2)))));
  }

  /** The state after the journal's first four events, with the sequence number 4. */
  private static Journal productSnapshot() {
    Map<String, ProductStock.WarehouseStock> warehouses = new HashMap<>();
    warehouses.put(W1, new ProductStock.WarehouseStock("us-west", 7, 3, 0, 10));
    warehouses.put(W2, new ProductStock.WarehouseStock("us-east", 5, 0, 0, 5));
    Map<String, List<ProductStock.Allocation>> reservations = new HashMap<>();
    reservations.put(DECLINED, List.of(new ProductStock.Allocation(W1, 1)));
    reservations.put(COMPLETED, List.of(new ProductStock.Allocation(W1, 2)));
    LinkedHashSet<String> restocks = new LinkedHashSet<>(List.of("restock-1", "restock-2"));
    return new Journal(
        "ProductStock|" + P1,
        "snapshot at sequence number 4",
        List.of(new ProductStock.State(warehouses, reservations, restocks)));
  }

  private static void write(
      Serialization serialization, String file, String title, List<Journal> journals)
      throws IOException {
    Path path = DIRECTORY.resolve(file);
    if (Files.exists(path)) {
      throw new IllegalStateException(path + " exists: fixtures are never rewritten");
    }
    List<String> lines = new ArrayList<>();
    lines.add("# " + title + " (see ../README.md).");
    lines.add("# persistence_id\tseq_nr\tser_id\tser_manifest\tpayload (base64)");
    for (Journal journal : journals) {
      lines.add("#");
      lines.add("# " + journal.persistenceId() + ": " + journal.title());
      long seqNr = journal.title().startsWith("snapshot") ? 4 : 1;
      for (Object event : journal.events()) {
        Serializer serializer = serialization.findSerializerFor(event);
        byte[] payload = serialization.serialize(event).get();
        lines.add("# " + JSON.writeValueAsString(CBOR.readTree(payload)));
        lines.add(
            String.join(
                "\t",
                journal.persistenceId(),
                Long.toString(seqNr++),
                Integer.toString(serializer.identifier()),
                Serializers.manifestFor(serializer, event),
                Base64.getEncoder().encodeToString(payload)));
      }
    }
    Files.createDirectories(DIRECTORY);
    Files.write(path, lines, StandardCharsets.UTF_8);
  }
}
