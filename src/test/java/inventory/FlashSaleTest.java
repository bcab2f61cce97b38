package inventory;

import static inventory.ProductJournal.PATIENCE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import common.EntityTestKits;
import common.Rejection;
import common.Reply;
import inventory.ProductStock.Allocation;
import inventory.ProductStock.ReservationEnded;
import inventory.ProductStock.Reserved;
import inventory.ProductStock.WarehouseView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many orders race for one product: what arrives while a write is in flight is decided as one batch
 * and written as one event, and still no unit is oversold, every request gets one answer, and a
 * restart recovers the same counts.
 *
 * <p>Which commands arrive during a write is not left to timing: the journal holds the first write
 * of each phase until every other command of that phase has been sent ({@link ProductJournal}).
 */
class FlashSaleTest {
  /** When the test's requests stop being wanted: not within a test. */
  private static final Instant WANTED = Instant.now().plus(Duration.ofHours(1));

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = EntityTestKits.create("FlashSaleTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static String orderId(int i) {
    return "order-" + i;
  }

  private static int number(String orderId) {
    return Integer.parseInt(orderId.substring("order-".length()));
  }

  /** One unit, from the shopper's region: even orders shop in the east, odd ones in the west. */
  private static ProductStock.Reserve reserve(int i, ActorRef<Reply<Reserved>> replyTo) {
    String region = i % 2 == 0 ? "us-east" : "us-west";
    return new ProductStock.Reserve(orderId(i), 1, region, WANTED, replyTo);
  }

  /** Every fifth order is not paid for: its reservation is released; the others are committed. */
  private static ProductStock.Command end(
      String orderId, ActorRef<Reply<ReservationEnded>> replyTo) {
    return number(orderId) % 5 == 0
        ? new ProductStock.Release(orderId, replyTo)
        : new ProductStock.Commit(orderId, replyTo);
  }

  private static ActorRef<ProductStock.Command> stockOf(
      ProductJournal journal, int east, int west, TestProbe<Reply<ProductStock.StockView>> probe) {
    ActorRef<ProductStock.Command> stock = journal.spawnEntity();
    stock.tell(new ProductStock.Restock("r1", "w-east", "us-east", east, probe.ref()));
    stock.tell(new ProductStock.Restock("r2", "w-west", "us-west", west, probe.ref()));
    probe.receiveSeveralMessages(2).forEach(Reply::value);
    return stock;
  }

  @Test
  void demandAboveStockSellsExactlyTheStockInOneWritePerWriteInFlight() throws Exception {
    try (ProductJournal journal = new ProductJournal(testKit)) {
      ActorRef<ProductStock.Command> stock = stockOf(journal, 60, 40, testKit.createTestProbe());
      int restockWrites = journal.writes();

      // 300 orders of one unit, every tenth sent twice as an order that retries would send it,
      // each order with its own probe. The first order's write is held until all the others have
      // come.
      int orders = 300;
      List<TestProbe<Reply<Reserved>>> answers =
          IntStream.range(0, orders)
              .mapToObj(i -> testKit.<Reply<Reserved>>createTestProbe())
              .toList();
      List<ProductStock.Reserve> others = new ArrayList<>();
      for (int i = 0; i < orders; i++) {
        if (i > 0) {
          others.add(reserve(i, answers.get(i).ref()));
        }
        if (i % 10 == 0) {
          others.add(reserve(i, answers.get(i).ref()));
        }
      }
      journal.sendDuringWriteOf(stock, reserve(0, answers.get(0).ref()), others);
      // Decided in the order sent: orders 0-79 take their own region's units (40 of each), then
      // the west is sold out and orders 80-99 all take from the east; the others are refused.
      // Every request is answered, a repeated one with the same answer.
      for (int i = 0; i < orders; i++) {
        String warehouse = i < 80 && i % 2 == 1 ? "w-west" : "w-east";
        Reply<Reserved> expected =
            i < 100
                ? Reply.accepted(new Reserved(orderId(i), List.of(new Allocation(warehouse, 1))))
                : Reply.rejected(Rejection.conflict("out of stock: requested 1, available 0"));
        for (Reply<Reserved> answer :
            answers.get(i).receiveSeveralMessages(i % 10 == 0 ? 2 : 1, PATIENCE)) {
          assertEquals(expected, answer, orderId(i));
        }
      }
      assertEquals(
          restockWrites + 2,
          journal.writes(),
          "the first reservation's write, then one for all that arrived while it was in flight");

      // Every reserved order ends; orders 0, 1, 10, 11, ... send their end twice, as a retrying
      // order would: a release (0, 10, ...) and a commit (1, 11, ...). The first end is held.
      List<String> reserved = IntStream.range(0, 100).mapToObj(FlashSaleTest::orderId).toList();
      TestProbe<Reply<ReservationEnded>> done = testKit.createTestProbe();
      int writesBeforeEnds = journal.writes();
      List<ProductStock.Command> otherEnds = new ArrayList<>();
      for (String orderId : reserved) {
        if (!orderId.equals(reserved.get(0))) {
          otherEnds.add(end(orderId, done.ref()));
        }
        if (number(orderId) % 10 <= 1) {
          otherEnds.add(end(orderId, done.ref()));
        }
      }
      journal.sendDuringWriteOf(stock, end(reserved.get(0), done.ref()), otherEnds);
      done.receiveSeveralMessages(reserved.size() + 20, PATIENCE);
      assertEquals(writesBeforeEnds + 2, journal.writes(), "the first end, then all the others");

      TestProbe<Reply<ProductStock.StockView>> view = testKit.createTestProbe();
      stock.tell(new ProductStock.GetStock(view.ref()));
      ProductStock.StockView after = view.receiveMessage().value();
      // Released: orders 0, 10, ... 70 and 80, 85, 90, 95 in the east, 5, 15, ... 75 in the west.
      assertEquals(
          new ProductStock.StockView(
              journal.productId(),
              20,
              0,
              80,
              100,
              List.of(
                  new WarehouseView("w-east", "us-east", 12, 0, 48, 60),
                  new WarehouseView("w-west", "us-west", 8, 0, 32, 40))),
          after);

      List<Object> events = journal.events();
      assertEquals(restockWrites + 4, events.size(), "a write is one event, however many changes");
      long changes =
          events.stream()
              .flatMap(e -> ProductStock.StockChanged.of((ProductStock.Event) e).stream())
              .filter(change -> !isAvailabilityNotice(change))
              .count();
      assertEquals(2 + 100 + 100, changes, "one change per restock, reservation and end");

      testKit.stop(stock);
      ActorRef<ProductStock.Command> recovered = journal.spawnEntity();
      recovered.tell(new ProductStock.GetStock(view.ref()));
      assertEquals(after, view.receiveMessage().value(), "the journal holds exactly these counts");
      answers.forEach(probe -> probe.expectNoMessage(Duration.ZERO));
    }
  }

  @Test
  void unitsReleasedWhileAWriteIsInFlightGoToTheNextBuyerOfTheSameBatch() throws Exception {
    try (ProductJournal journal = new ProductJournal(testKit)) {
      ActorRef<ProductStock.Command> stock = journal.spawnEntity();
      TestProbe<Reply<ProductStock.StockView>> restocked = testKit.createTestProbe();
      stock.tell(new ProductStock.Restock("r1", "w-east", "us-east", 2, restocked.ref()));
      restocked.receiveMessage(PATIENCE);
      TestProbe<Reply<Reserved>> answers = testKit.createTestProbe();
      stock.tell(new ProductStock.Reserve("unpaid", 2, "us-east", WANTED, answers.ref()));
      answers.receiveMessage(PATIENCE).value();

      // While a restock of the west is in flight, the unpaid order lets its units go and the
      // next buyer wants them and the west's.
      TestProbe<Reply<ReservationEnded>> released = testKit.createTestProbe();
      journal.sendDuringWriteOf(
          stock,
          new ProductStock.Restock("r2", "w-west", "us-west", 1, restocked.ref()),
          List.of(
              new ProductStock.Release("unpaid", released.ref()),
              new ProductStock.Reserve("next", 3, "us-west", WANTED, answers.ref())));
      released.expectMessage(PATIENCE, Reply.accepted(ReservationEnded.RELEASED));
      List<Allocation> west1East2 =
          List.of(new Allocation("w-west", 1), new Allocation("w-east", 2));
      assertEquals(
          Reply.accepted(new Reserved("next", west1East2)), answers.receiveMessage(PATIENCE));
      List<Object> events = journal.events();
      assertEquals(
          List.of(
              new ProductStock.StockReleased("unpaid", List.of(new Allocation("w-east", 2))),
              new ProductStock.UnitsReserved("next", west1East2),
              new ProductStock.SoldOut(null)),
          ProductStock.StockChanged.of((ProductStock.Event) events.get(events.size() - 1)),
          "the release and the reservation after it are one write, which sells the last unit");
    }
  }

  private static boolean isAvailabilityNotice(ProductStock.Change change) {
    return change instanceof ProductStock.SoldOut
        || change instanceof ProductStock.BackInStock
        || change instanceof ProductStock.LowStock;
  }
}
