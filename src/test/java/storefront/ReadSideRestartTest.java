package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import catalog.SampleCatalog;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * The node running the projections stops in the middle of a stream of cart and order events and
 * another starts in its place: the read side resumes from its stored offsets with no event written
 * twice and none missed.
 */
class ReadSideRestartTest {
  /**
   * Half the payments declined, so that both outcomes occur among the run's few dozen orders (at
   * 0.2 a run of 25 with none declined came once in a few hundred, and failed the test).
   */
  private static final String HALF_DECLINED = "storefront.payment.decline-rate = 0.5";

  @Test
  void projectionsStoppedAndRestartedMidStreamLeaveNoDuplicatesAndNoGaps() throws Exception {
    AtomicReference<Api> target = new AtomicReference<>();
    AtomicBoolean shopping = new AtomicBoolean(true);
    Node first = TestNode.start(HALF_DECLINED);
    target.set(new Api(first.httpPort()));
    String user = new Shopper(target.get()).newUser("us-central");
    String token = target.get().tokenOf(user);

    ExecutorService shoppers = Executors.newFixedThreadPool(4);
    for (int i = 0; i < 4; i++) {
      int shopperNumber = i;
      shoppers.submit(() -> shop(target, shopping, token, shopperNumber));
    }
    Shopper.sleep(2_500);
    first.close();
    Node second = TestNode.start(HALF_DECLINED);
    try {
      target.set(new Api(second.httpPort()));
      Shopper.sleep(2_500);
      shopping.set(false);
      shoppers.shutdown();
      assertTrue(shoppers.awaitTermination(30, TimeUnit.SECONDS));

      var api = target.get();
      var system = second.system();
      long deadline = System.currentTimeMillis() + 60_000;
      while (ReadSide.count(
                  system,
                  "SELECT count(*) FROM orders WHERE order_status NOT IN ('completed', 'canceled')"
                      + " OR (order_status = 'completed' AND tracking_number IS NULL)")
              + ReadSide.count(system, "SELECT count(*) FROM carts WHERE status = 'checked_out'")
          > 0) {
        assertTrue(
            System.currentTimeMillis() < deadline,
            "orders, their shipments and checkouts caught by the stop finish on the other node");
        Shopper.sleep(500);
      }
      ReadSide.awaitCaughtUp(api);
      long lineEvents =
          ReadSide.count(
              system,
              "SELECT count(*) FROM event_journal WHERE entity_type = 'ShoppingCart' AND"
                  + " event_ser_manifest IN ('cart.ShoppingCart$ItemAdded',"
                  + " 'cart.ShoppingCart$ItemQuantityChanged', 'cart.ShoppingCart$ItemRemoved')");
      assertTrue(lineEvents > 20, "a stream of cart events: " + lineEvents);
      assertEquals(
          0,
          ReadSide.count(
              system,
              "SELECT count(*) FROM (SELECT persistence_id, seq_nr FROM event_journal"
                  + " WHERE entity_type = 'ShoppingCart' AND event_ser_manifest IN"
                  + " ('cart.ShoppingCart$ItemAdded', 'cart.ShoppingCart$ItemQuantityChanged',"
                  + " 'cart.ShoppingCart$ItemRemoved')"
                  + " EXCEPT SELECT 'ShoppingCart|' || cart_id, seq_nr FROM cart_item_events) gaps"),
          "every cart line event of the journal is in the change log");
      assertEquals(
          0,
          ReadSide.count(
              system,
              "SELECT count(*) FROM (SELECT 'ShoppingCart|' || cart_id, seq_nr FROM"
                  + " cart_item_events EXCEPT SELECT persistence_id, seq_nr FROM event_journal)"
                  + " extra"),
          "the change log holds nothing the journal does not");
      assertEquals(
          ReadSide.count(
              system,
              "SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                  + " event_ser_manifest NOT IN ('order.Order$LineReserved',"
                  + " 'order.Order$LineRefused', 'order.Order$CartNotified')"),
          ReadSide.count(system, "SELECT count(*) FROM order_status_history"),
          "one status row per order transition");
      assertEquals(
          ReadSide.count(
              system,
              "SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND"
                  + " event_ser_manifest IN ('order.Order$PaymentCharged',"
                  + " 'order.Order$PaymentDeclined')"),
          ReadSide.count(system, "SELECT count(*) FROM payment_details"),
          "one payment row per charge attempt");
      long shipped = journalCount(system, "order.Order$OrderShipped");
      long declined = journalCount(system, "order.Order$PaymentDeclined");
      assertTrue(shipped > 0 && declined > 0, shipped + " shipped, " + declined + " declined");
      assertEquals(
          shipped,
          ReadSide.count(
              system, "SELECT count(*) FROM notifications WHERE kind = 'order_confirmation'"),
          "one confirmation per shipped order, not one per time a projection saw it");
      assertEquals(
          declined,
          ReadSide.count(
              system, "SELECT count(*) FROM notifications WHERE kind = 'payment_failed'"),
          "one payment-failure e-mail per declined payment");
    } finally {
      second.close();
    }
  }

  private static long journalCount(ActorSystem<?> system, String manifest) {
    return ReadSide.count(
        system,
        "SELECT count(*) FROM event_journal WHERE entity_type = 'Order' AND event_ser_manifest = '"
            + manifest
            + "'");
  }

  /**
   * One shopper's loop: fill a cart, change it, check out. Failures while a node is down are
   * expected.
   */
  private static void shop(
      AtomicReference<Api> target, AtomicBoolean shopping, String token, int shopperNumber) {
    List<String> products =
        SampleCatalog.products().stream().map(catalog.Product::productId).toList();
    int round = 0;
    while (shopping.get()) {
      round++;
      try {
        Api api = target.get().as(token);
        // 200: the shopper's cart still active, when a round broke off before its checkout.
        var cart = api.post("/carts", "{}");
        if (cart.status() / 100 != 2) {
          Shopper.sleep(100);
          continue;
        }
        String cartId = cart.text("cartId");
        String product = products.get((shopperNumber * 7 + round) % products.size());
        api.post(
            "/carts/" + cartId + "/items", "{\"productId\":\"" + product + "\",\"quantity\":2}");
        api.put("/carts/" + cartId + "/items/" + product, "{\"quantity\":3}");
        api.post("/carts/" + cartId + "/checkout", "{\"paymentMethod\":\"credit card\"}");
      } catch (RuntimeException e) {
        Shopper.sleep(100);
      }
    }
  }
}
