package storefront.tools.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import common.StoredEvent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import storefront.tools.JournalEvent;

/**
 * The audit's own count of a product's stock, from bytes as version 1 stored them (the old
 * StockReserved name and a batch among them), without the entity's classes.
 */
class StockReplayTest {
  private static final String PRODUCT = "00000000-0000-4000-8000-0000000000f1";
  private static final String US_WEST = "00000000-0000-4000-8000-0000000000e1";
  private static final String US_EAST = "00000000-0000-4000-8000-0000000000e2";

  @Test
  void version1StockEventsCountAsTheEntityCountedThem() {
    Map<String, int[]> counts = new HashMap<>();
    for (StoredEvent stored : StoredEvent.load("events/v1/product-stock-events.tsv")) {
      StockReplay.add(counts, PRODUCT, JournalEvent.of(stored.manifest(), stored.payload()));
    }
    Map<String, String> perWarehouse = new TreeMap<>();
    counts.forEach((pair, count) -> perWarehouse.put(pair, Arrays.toString(count)));
    // available, reserved, sold, received: as the upgrade test's node and read side show them.
    assertEquals(
        Map.of(PRODUCT + "/" + US_WEST, "[8, 0, 2, 10]", PRODUCT + "/" + US_EAST, "[5, 0, 0, 5]"),
        perWarehouse);
  }

  @Test
  void anEventOrAChangeTheAuditDoesNotKnowFailsItByName() {
    var payload = JsonNodeFactory.instance.objectNode();
    var unknownEvent = new JournalEvent("StockTeleported", payload);
    assertEquals(
        "the audit does not know the stock event StockTeleported of " + PRODUCT,
        assertThrows(
                IllegalStateException.class,
                () -> StockReplay.add(new HashMap<>(), PRODUCT, unknownEvent))
            .getMessage());

    var batch = JsonNodeFactory.instance.objectNode();
    batch.putArray("changes").addObject().putObject("teleported");
    var unknownChange = new JournalEvent("StockChanged", batch);
    assertEquals(
        "the audit does not know the stock change teleported of " + PRODUCT,
        assertThrows(
                IllegalStateException.class,
                () -> StockReplay.add(new HashMap<>(), PRODUCT, unknownChange))
            .getMessage());

    for (String crossing : new String[] {"SoldOut", "BackInStock", "LowStock"}) {
      Map<String, int[]> counts = new HashMap<>();
      StockReplay.add(counts, PRODUCT, new JournalEvent(crossing, payload));
      assertEquals(Map.of(), counts, crossing + " changes no count");
    }
  }
}
