package inventory;

import static inventory.ProductJournal.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import common.EntityTestKits;
import common.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A product that sells out says so and plans a restock in the same write, applies it once when due
 * (also when it was stopped during the delay and only started again after it), and says it is back
 * in stock; falling to the low-stock threshold is said once.
 */
class RestockAfterSellOutTest {
  private static final Instant WANTED = Instant.now().plus(Duration.ofHours(1));
  private static final Duration DELAY = Duration.ofMillis(800);
  private static final InventorySettings SETTINGS = new InventorySettings(DELAY, 7, 3);

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = EntityTestKits.create("RestockAfterSellOutTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aSellOutPlansARestockThatArrivesOnceAfterTheDelay() throws Exception {
    try (ProductJournal journal = new ProductJournal(testKit)) {
      ActorRef<ProductStock.Command> stock = journal.spawnEntity(SETTINGS);
      restock(stock, "w-west", "us-west", 2);
      restock(stock, "w-east", "us-east", 4);
      reserve(stock, "o1", 3);
      assertEquals(1, count(journal, ProductStock.LowStock.class::isInstance), "3 left: low");
      reserve(stock, "o2", 3);
      Instant soldOutAt = Instant.now();

      ProductStock.SoldOut soldOut =
          (ProductStock.SoldOut) only(journal, ProductStock.SoldOut.class);
      ProductStock.PlannedRestock plan = soldOut.restock();
      assertNotNull(plan, "a restock is planned");
      assertEquals("w-east", plan.warehouseId(), "into the warehouse that received most");
      assertEquals(7, plan.quantity());
      assertTrue(!plan.dueAt().isBefore(soldOutAt.minus(Duration.ofMillis(100)).plus(DELAY)));

      assertEquals(7, awaitAvailable(stock, 7).available());
      assertTrue(
          Duration.between(soldOutAt, Instant.now()).compareTo(DELAY.minusMillis(100)) >= 0,
          "not before the delay");
      assertEquals(1, count(journal, planApplied(plan)), "the planned restock, once");
      assertEquals(1, count(journal, ProductStock.BackInStock.class::isInstance));
      Thread.sleep(DELAY.toMillis());
      assertEquals(1, count(journal, planApplied(plan)), "and only once");
      assertEquals(1, count(journal, ProductStock.LowStock.class::isInstance), "said once");
    }
  }

  @Test
  void aProductStoppedDuringTheDelayAppliesItsPlanOnceWhenStartedAgain() throws Exception {
    try (ProductJournal journal = new ProductJournal(testKit)) {
      ActorRef<ProductStock.Command> stock = journal.spawnEntity(SETTINGS);
      restock(stock, "w-west", "us-west", 1);
      reserve(stock, "o1", 1);
      ProductStock.PlannedRestock plan =
          ((ProductStock.SoldOut) only(journal, ProductStock.SoldOut.class)).restock();
      testKit.stop(stock);
      Thread.sleep(DELAY.toMillis() * 2);
      assertEquals(0, count(journal, planApplied(plan)), "nothing ran it while stopped");

      // Asked for anything after the due time, as the stalled-process sweep does, the product
      // recovers its plan and applies it at once.
      ActorRef<ProductStock.Command> again = journal.spawnEntity(SETTINGS);
      assertEquals(7, awaitAvailable(again, 7).available());
      testKit.stop(again);
      ActorRef<ProductStock.Command> third = journal.spawnEntity(SETTINGS);
      Thread.sleep(DELAY.toMillis());
      assertEquals(7, view(third).available(), "recovered after it was applied: not again");
      assertEquals(1, count(journal, planApplied(plan)));
    }
  }

  private static Predicate<ProductStock.Change> planApplied(ProductStock.PlannedRestock plan) {
    return change ->
        change instanceof ProductStock.StockReceived received
            && received.restockId().equals(plan.restockId());
  }

  private static long count(ProductJournal journal, Predicate<ProductStock.Change> which) {
    return changes(journal).stream().filter(which).count();
  }

  private static ProductStock.Change only(ProductJournal journal, Class<?> type) {
    List<ProductStock.Change> matching =
        changes(journal).stream().filter(type::isInstance).toList();
    assertEquals(1, matching.size(), "one " + type.getSimpleName() + " in " + changes(journal));
    return matching.get(0);
  }

  private static List<ProductStock.Change> changes(ProductJournal journal) {
    return journal.events().stream()
        .flatMap(e -> ProductStock.StockChanged.of((ProductStock.Event) e).stream())
        .toList();
  }

  private static void restock(
      ActorRef<ProductStock.Command> stock, String warehouse, String region, int quantity) {
    TestProbe<Reply<ProductStock.StockView>> probe = testKit.createTestProbe();
    stock.tell(
        new ProductStock.Restock("r-" + warehouse, warehouse, region, quantity, probe.ref()));
    probe.receiveMessage(PATIENCE).value();
  }

  private static void reserve(ActorRef<ProductStock.Command> stock, String orderId, int quantity) {
    TestProbe<Reply<ProductStock.Reserved>> probe = testKit.createTestProbe();
    stock.tell(new ProductStock.Reserve(orderId, quantity, "us-east", WANTED, probe.ref()));
    probe.receiveMessage(PATIENCE).value();
    TestProbe<Reply<ProductStock.ReservationEnded>> committed = testKit.createTestProbe();
    stock.tell(new ProductStock.Commit(orderId, committed.ref()));
    committed.receiveMessage(PATIENCE).value();
  }

  private static ProductStock.StockView view(ActorRef<ProductStock.Command> stock) {
    TestProbe<Reply<ProductStock.StockView>> probe = testKit.createTestProbe();
    stock.tell(new ProductStock.GetStock(probe.ref()));
    return probe.receiveMessage(PATIENCE).value();
  }

  private static ProductStock.StockView awaitAvailable(
      ActorRef<ProductStock.Command> stock, int available) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      ProductStock.StockView current = view(stock);
      if (current.available() == available || System.nanoTime() > deadline) {
        return current;
      }
      Thread.sleep(50);
    }
  }
}
