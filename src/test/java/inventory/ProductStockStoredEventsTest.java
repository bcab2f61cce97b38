package inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import common.EntityTestKits;
import common.StoredEvent;
import inventory.ProductStock.Allocation;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A product's events and snapshot as earlier versions stored them (src/test/resources/events/) must
 * still read, with every value, and rebuild the same stock from the snapshot as from the events
 * alone.
 */
class ProductStockStoredEventsTest {
  private static final String W1 = "00000000-0000-4000-8000-0000000000e1";
  private static final String W2 = "00000000-0000-4000-8000-0000000000e2";
  private static final String OUT_OF_STOCK = "00000000-0000-4000-8000-0000000000a1";
  private static final String DECLINED = "00000000-0000-4000-8000-0000000000a2";
  private static final String COMPLETED = "00000000-0000-4000-8000-0000000000a3";

  private static ActorTestKit testKit;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ProductStockStoredEventsTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  private static List<Object> read(String resource) {
    return StoredEvent.load(resource).stream()
        .map(stored -> stored.deserialize(testKit.system()))
        .toList();
  }

  private static ProductStock.State applied(ProductStock.State state, List<Object> events) {
    for (Object event : events) {
      state = state.apply((ProductStock.Event) event);
    }
    return state;
  }

  private static List<Allocation> inW1(int units) {
    return List.of(new Allocation(W1, units));
  }

  /**
   * The 3rd event was stored as {@code inventory.ProductStock$StockReserved}, renamed since
   * (UnitsReservedMigration); the 4th holds reservations by their type name inside a StockChanged.
   */
  @Test
  void version1EventsAndSnapshotReadWithEveryValue() {
    List<Object> events = read("events/v1/product-stock-events.tsv");
    assertEquals(
        List.of(
            new ProductStock.StockReceived("restock-1", W1, "us-west", 10),
            new ProductStock.StockReceived("restock-2", W2, "us-east", 5),
            new ProductStock.UnitsReserved(OUT_OF_STOCK, inW1(2)),
            new ProductStock.StockChanged(
                List.of(
                    new ProductStock.UnitsReserved(DECLINED, inW1(1)),
                    new ProductStock.UnitsReserved(COMPLETED, inW1(2)),
                    new ProductStock.StockReleased(OUT_OF_STOCK, inW1(2)))),
            new ProductStock.StockReleased(DECLINED, inW1(1)),
            new ProductStock.StockCommitted(COMPLETED, inW1(2))),
        events);

    ProductStock.State snapshot =
        (ProductStock.State) read("events/v1/product-stock-snapshot.tsv").get(0);
    assertEquals(
        applied(ProductStock.State.empty(), events.subList(0, 4)),
        snapshot,
        "the snapshot is the state after the first 4 events");

    ProductStock.StockView view = applied(snapshot, events.subList(4, 6)).view("p");
    assertEquals(
        List.of(13, 0, 2, 15),
        List.of(view.available(), view.reserved(), view.sold(), view.received()));
  }
}
