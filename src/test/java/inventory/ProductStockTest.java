package inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.pattern.StatusReply;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import common.EntityTestKits;
import inventory.ProductStock.Allocation;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProductStockTest {
  private static ActorTestKit testKit;
  private EventSourcedBehaviorTestKit<ProductStock.Command, ProductStock.Event, ProductStock.State>
      stock;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ProductStockTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void freshProduct() {
    stock =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), ProductStock.create(UUID.randomUUID().toString()));
    restock("west-1", "us-west", 5);
    restock("east-1", "us-east", 10);
  }

  private ProductStock.StockView restock(String warehouse, String region, int quantity) {
    var result =
        stock.<StatusReply<ProductStock.StockView>>runCommand(
            replyTo ->
                new ProductStock.Restock(
                    "restock-" + warehouse + "-" + quantity, warehouse, region, quantity, replyTo));
    return result.reply().getValue();
  }

  private ProductStock.ReserveReply reserve(String orderId, int quantity, String region) {
    return stock
        .<ProductStock.ReserveReply>runCommand(
            replyTo -> new ProductStock.Reserve(orderId, quantity, region, replyTo))
        .reply();
  }

  private ProductStock.StockView view() {
    return stock.<ProductStock.StockView>runCommand(ProductStock.GetStock::new).reply();
  }

  private void assertConserved(ProductStock.StockView view) {
    for (var warehouse : view.warehouses()) {
      assertTrue(warehouse.available() >= 0, "no warehouse below zero: " + warehouse);
      assertEquals(
          warehouse.received(),
          warehouse.available() + warehouse.reserved() + warehouse.sold(),
          "received = available + reserved + sold in " + warehouse);
    }
  }

  @Test
  void restockAddsUnitsOnceForTheSameRestockId() {
    var first = restock("west-1", "us-west", 7);
    var again = restock("west-1", "us-west", 7);
    assertEquals(22, first.available());
    assertEquals(22, again.available());
  }

  @Test
  void restockOfANonPositiveQuantityIsRefusedAndChangesNothing() {
    var result =
        stock.<StatusReply<ProductStock.StockView>>runCommand(
            replyTo -> new ProductStock.Restock("r-0", "west-1", "us-west", 0, replyTo));
    assertTrue(result.reply().isError());
    assertTrue(result.hasNoEvents());
  }

  @Test
  void reserveTakesFromTheShoppersRegionFirst() {
    var reply = reserve("o1", 3, "us-east");
    assertEquals(new ProductStock.Reserved("o1", List.of(new Allocation("east-1", 3))), reply);
    assertEquals(12, view().available());
    assertEquals(3, view().reserved());
  }

  @Test
  void reserveSpillsOverToOtherRegionsWhenTheOwnRegionRunsShort() {
    var reply = reserve("o1", 8, "us-west");
    assertEquals(
        new ProductStock.Reserved(
            "o1", List.of(new Allocation("west-1", 5), new Allocation("east-1", 3))),
        reply);
    assertConserved(view());
  }

  @Test
  void reserveIsAllOrNothing() {
    var result =
        stock.<ProductStock.ReserveReply>runCommand(
            replyTo -> new ProductStock.Reserve("o1", 16, "us-west", replyTo));
    assertInstanceOf(ProductStock.Refused.class, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(15, view().available());
  }

  @Test
  void aSecondReserveForTheSameOrderHasNoSecondEffect() {
    var first = reserve("o1", 4, "us-west");
    var result =
        stock.<ProductStock.ReserveReply>runCommand(
            replyTo -> new ProductStock.Reserve("o1", 4, "us-west", replyTo));
    assertEquals(first, result.reply());
    assertTrue(result.hasNoEvents());
    assertEquals(4, view().reserved());
  }

  @Test
  void commitTurnsReservedUnitsIntoSoldOnce() {
    reserve("o1", 6, "us-west");
    var commit = stock.<Done>runCommand(replyTo -> new ProductStock.Commit("o1", replyTo));
    assertInstanceOf(ProductStock.StockCommitted.class, commit.event());
    var again = stock.<Done>runCommand(replyTo -> new ProductStock.Commit("o1", replyTo));
    assertTrue(again.hasNoEvents());
    var view = view();
    assertEquals(6, view.sold());
    assertEquals(0, view.reserved());
    assertEquals(9, view.available());
    assertConserved(view);
  }

  @Test
  void releaseGivesUnitsBackOnceAndRefusesALateReserveOfThatOrder() {
    reserve("o1", 6, "us-west");
    var release = stock.<Done>runCommand(replyTo -> new ProductStock.Release("o1", replyTo));
    assertInstanceOf(ProductStock.StockReleased.class, release.event());
    var again = stock.<Done>runCommand(replyTo -> new ProductStock.Release("o1", replyTo));
    assertTrue(again.hasNoEvents());
    assertEquals(15, view().available());

    assertInstanceOf(ProductStock.Refused.class, reserve("o1", 6, "us-west"));
    assertEquals(15, view().available());
  }

  @Test
  void releaseOfAnOrderThatHoldsNothingClosesItForLateReserves() {
    stock.<Done>runCommand(replyTo -> new ProductStock.Release("o-late", replyTo));
    assertInstanceOf(ProductStock.Refused.class, reserve("o-late", 1, "us-west"));
    assertEquals(0, view().reserved());
  }

  @Test
  void stateRecoversAfterRestart() {
    reserve("o1", 6, "us-west");
    reserve("o2", 2, "us-east");
    stock.<Done>runCommand(replyTo -> new ProductStock.Commit("o1", replyTo));
    var before = view();
    stock.restart();
    assertEquals(before, view());
    assertEquals(
        new ProductStock.Reserved("o2", List.of(new Allocation("east-1", 2))),
        reserve("o2", 2, "us-east"));
    assertInstanceOf(ProductStock.Refused.class, reserve("o1", 6, "us-west"));
  }

  @Test
  void demandAboveStockNeverOversells() {
    int reserved = 0;
    for (int i = 0; i < 40; i++) {
      if (reserve("order-" + i, 1, i % 2 == 0 ? "us-west" : "us-east")
          instanceof ProductStock.Reserved) {
        reserved++;
      }
    }
    assertEquals(15, reserved);
    var view = view();
    assertEquals(0, view.available());
    assertEquals(15, view.reserved());
    assertConserved(view);
  }
}
