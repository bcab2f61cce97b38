package inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.StatusReply;
import akka.persistence.testkit.ProcessingSuccess$;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import common.EntityTestKits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Many orders race for one product: reservations are decided in batches while a write is in flight,
 * and still no unit is oversold, every order gets one answer, and a restart recovers the same
 * counts.
 */
class FlashSaleTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = EntityTestKits.create("FlashSaleTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void demandAboveStockSellsExactlyTheStockInFewerWritesThanOrders() {
    String productId = UUID.randomUUID().toString();
    String persistenceId = ProductStock.ENTITY_KEY.name() + "|" + productId;
    AtomicInteger writes = new AtomicInteger();
    PersistenceTestKit journal = PersistenceTestKit.create(testKit.system());
    journal.withPolicy(
        (id, operation) -> {
          if (id.equals(persistenceId) && operation instanceof WriteEvents) {
            writes.incrementAndGet();
          }
          return ProcessingSuccess$.MODULE$;
        });
    ActorRef<ProductStock.Command> stock = testKit.spawn(ProductStock.create(productId));
    TestProbe<StatusReply<ProductStock.StockView>> restocked = testKit.createTestProbe();
    stock.tell(new ProductStock.Restock("r1", "w-east", "us-east", 60, restocked.ref()));
    stock.tell(new ProductStock.Restock("r2", "w-west", "us-west", 40, restocked.ref()));
    restocked.receiveSeveralMessages(2);

    int orders = 300;
    TestProbe<ProductStock.ReserveReply> answers = testKit.createTestProbe();
    for (int i = 0; i < orders; i++) {
      String region = i % 2 == 0 ? "us-east" : "us-west";
      stock.tell(
          new ProductStock.Reserve(
              "order-" + i, 1, region, Instant.now().plusSeconds(60), answers.ref()));
      if (i % 10 == 0) {
        // a duplicate, as a retrying order would send it
        stock.tell(
            new ProductStock.Reserve(
                "order-" + i, 1, region, Instant.now().plusSeconds(60), answers.ref()));
      }
    }
    List<ProductStock.ReserveReply> replies =
        answers.receiveSeveralMessages(orders + orders / 10, Duration.ofSeconds(20));
    List<String> reserved = new ArrayList<>();
    replies.forEach(
        reply -> {
          if (reply instanceof ProductStock.Reserved r && !reserved.contains(r.orderId())) {
            reserved.add(r.orderId());
          }
        });
    assertEquals(100, reserved.size(), "exactly the stock is reserved");

    TestProbe<Done> done = testKit.createTestProbe();
    for (String orderId : reserved) {
      boolean pays = Integer.parseInt(orderId.substring(6)) % 5 != 0;
      stock.tell(
          pays
              ? new ProductStock.Commit(orderId, done.ref())
              : new ProductStock.Release(orderId, done.ref()));
    }
    done.receiveSeveralMessages(reserved.size(), Duration.ofSeconds(20));

    TestProbe<ProductStock.StockView> view = testKit.createTestProbe();
    stock.tell(new ProductStock.GetStock(view.ref()));
    ProductStock.StockView after = view.receiveMessage();
    long paid = reserved.stream().filter(o -> Integer.parseInt(o.substring(6)) % 5 != 0).count();
    assertEquals(paid, after.sold());
    assertEquals(100 - paid, after.available(), "released units are for sale again");
    assertEquals(0, after.reserved());
    after
        .warehouses()
        .forEach(
            w -> {
              assertTrue(w.available() >= 0);
              assertEquals(w.received(), w.available() + w.reserved() + w.sold());
            });

    List<Object> events = journal.persistedInStorage(persistenceId);
    long changes =
        events.stream()
            .mapToLong(e -> ProductStock.StockChanged.of((ProductStock.Event) e).size())
            .sum();
    assertEquals(2 + 100 + reserved.size(), changes, "one change per restock, reservation, end");
    assertTrue(
        writes.get() > 0 && writes.get() < changes / 4,
        "changes that arrive together are written together: " + writes.get() + " writes");
    assertEquals(writes.get(), events.size(), "a write is one event, however many changes");
    journal.resetPolicy();

    testKit.stop(stock);
    ActorRef<ProductStock.Command> recovered = testKit.spawn(ProductStock.create(productId));
    recovered.tell(new ProductStock.GetStock(view.ref()));
    assertEquals(after, view.receiveMessage(), "the journal holds exactly these counts");
  }
}
