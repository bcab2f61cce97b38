package cart;

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
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes src/test/resources/events/v1/cart-events.tsv with the code of this commit: the journals of
 * the carts behind the orders of v1/order-events.tsv that completed (every kind of line change,
 * under request keys) and whose payment was declined. Runs only when asked ({@code mvn -B test
 * -Dtest=WriteV1CartEventFixtures -Dfixtures.write=true}) and never overwrites a fixture.
 */
@EnabledIfSystemProperty(named = "fixtures.write", matches = "true")
class WriteV1CartEventFixtures {
  private static final Path FILE =
      Path.of("src", "test", "resources", "events", "v1", "cart-events.tsv");
  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  private static final String USER = "00000000-0000-4000-8000-0000000000d1";
  private static final String P1 = "00000000-0000-4000-8000-0000000000f1";
  private static final String P2 = "00000000-0000-4000-8000-0000000000f2";
  private static final String DECLINED_CART = "00000000-0000-4000-8000-0000000000c2";
  private static final String COMPLETED_CART = "00000000-0000-4000-8000-0000000000c3";
  private static final String DECLINED_ORDER = "00000000-0000-4000-8000-0000000000a2";
  private static final String COMPLETED_ORDER = "00000000-0000-4000-8000-0000000000a3";
  private static final BigDecimal P1_PRICE = new BigDecimal("3.00");
  private static final BigDecimal P2_PRICE = new BigDecimal("5.00");
  private static final ObjectMapper CBOR =
      new ObjectMapper(new CBORFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private record Journal(String persistenceId, String title, List<Object> events) {}

  private static List<Journal> journals() {
    return List.of(
        new Journal(
            "ShoppingCart|" + COMPLETED_CART,
            "checked out, its order completed; lines added, changed and removed, two under keys",
            List.of(
                new ShoppingCart.CartOpened(USER, "us-west", at(-60)),
                new ShoppingCart.ItemAdded(P1, 1, P1_PRICE, at(-50)),
                new ShoppingCart.ItemAdded(P2, 1, P2_PRICE, at(-40)),
                new ShoppingCart.RequestAccepted(
                    "add-p2", "0bba4a9c4b36b0b07ef442a9439178b0ca7eef19e069b3f81f9473d2fed2b76e"),
                new ShoppingCart.ItemQuantityChanged(P1, 1, 2, P1_PRICE, at(-30)),
                new ShoppingCart.ItemRemoved(P2, 1, P2_PRICE, at(-20)),
                new ShoppingCart.CheckedOutEvent(COMPLETED_ORDER, "credit card", at(-1)),
                new ShoppingCart.RequestAccepted(
                    "checkout", "8259610ec7f9da752401291f39436301b99827190879b67d9c5806779c23d0bc"),
                new ShoppingCart.CartCompleted(COMPLETED_ORDER, at(3)))),
        new Journal(
            "ShoppingCart|" + DECLINED_CART,
            "checked out, its order canceled: payment declined",
            List.of(
                new ShoppingCart.CartOpened(USER, "us-west", at(-30)),
                new ShoppingCart.ItemAdded(P1, 1, P1_PRICE, at(-20)),
                new ShoppingCart.CheckedOutEvent(DECLINED_ORDER, "paypal", at(-1)),
                new ShoppingCart.CartCanceled("payment declined: insufficient funds", at(3)))));
  }

  @Test
  void writeFixture() throws IOException {
    if (Files.exists(FILE)) {
      throw new IllegalStateException(FILE + " exists: fixtures are never rewritten");
    }
    ActorTestKit testKit = EntityTestKits.create("WriteV1CartEventFixtures");
    try {
      Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
      List<String> lines = new ArrayList<>();
      lines.add("# Two carts' journals, as version 1 wrote them (see ../README.md).");
      lines.add("# persistence_id\tseq_nr\tser_id\tser_manifest\tpayload (base64)");
      for (Journal journal : journals()) {
        lines.add("#");
        lines.add("# " + journal.persistenceId() + ": " + journal.title());
        long seqNr = 1;
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
      Files.write(FILE, lines, StandardCharsets.UTF_8);
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
