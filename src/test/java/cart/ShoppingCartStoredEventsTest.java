package cart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializers;
import common.EntityTestKits;
import common.StoredEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Carts' events as version 1 stored them (src/test/resources/events/) must still read, with every
 * value: a journal is never rewritten. Version 1 called CartCheckedOut CheckedOutEvent;
 * CartCheckedOutMigration reads it under its new name.
 */
class ShoppingCartStoredEventsTest {
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
  private static final String ADD_P2_FINGERPRINT =
      "0bba4a9c4b36b0b07ef442a9439178b0ca7eef19e069b3f81f9473d2fed2b76e";
  private static final String CHECKOUT_FINGERPRINT =
      "8259610ec7f9da752401291f39436301b99827190879b67d9c5806779c23d0bc";

  private static ActorTestKit testKit;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ShoppingCartStoredEventsTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  private static List<ShoppingCart.Event> journal(String cartId) {
    return StoredEvent.load("events/v1/cart-events.tsv").stream()
        .filter(stored -> stored.persistenceId().equals("ShoppingCart|" + cartId))
        .map(stored -> (ShoppingCart.Event) stored.deserialize(testKit.system()))
        .toList();
  }

  private static ShoppingCart.State replayed(List<ShoppingCart.Event> events) {
    ShoppingCart.State state = ShoppingCart.State.EMPTY;
    for (ShoppingCart.Event event : events) {
      state = state.apply(event);
    }
    return state;
  }

  @Test
  void version1EventsReadWithEveryValueAndACheckoutUnderItsNewName() {
    List<String> checkoutManifests =
        StoredEvent.load("events/v1/cart-events.tsv").stream()
            .map(StoredEvent::manifest)
            .filter(manifest -> manifest.contains("Checked"))
            .toList();
    assertEquals(
        List.of("cart.ShoppingCart$CheckedOutEvent", "cart.ShoppingCart$CheckedOutEvent"),
        checkoutManifests,
        "stored under the old name");

    List<ShoppingCart.Event> completed = journal(COMPLETED_CART);
    assertEquals(
        List.of(
            new ShoppingCart.CartOpened(USER, "us-west", at(-60)),
            new ShoppingCart.ItemAdded(P1, 1, P1_PRICE, at(-50)),
            new ShoppingCart.ItemAdded(P2, 1, P2_PRICE, at(-40)),
            new ShoppingCart.RequestAccepted("add-p2", ADD_P2_FINGERPRINT),
            new ShoppingCart.ItemQuantityChanged(P1, 1, 2, P1_PRICE, at(-30)),
            new ShoppingCart.ItemRemoved(P2, 1, P2_PRICE, at(-20)),
            new ShoppingCart.CartCheckedOut(COMPLETED_ORDER, "credit card", at(-1)),
            new ShoppingCart.RequestAccepted("checkout", CHECKOUT_FINGERPRINT),
            new ShoppingCart.CartCompleted(COMPLETED_ORDER, at(3))),
        completed);
    List<ShoppingCart.Event> declined = journal(DECLINED_CART);
    assertEquals(
        List.of(
            new ShoppingCart.CartOpened(USER, "us-west", at(-30)),
            new ShoppingCart.ItemAdded(P1, 1, P1_PRICE, at(-20)),
            new ShoppingCart.CartCheckedOut(DECLINED_ORDER, "paypal", at(-1)),
            new ShoppingCart.CartCanceled("payment declined: insufficient funds", at(3))),
        declined);
  }

  @Test
  void version1JournalsRecoverTheCartsTheyWrote() {
    ShoppingCart.State completed = replayed(journal(COMPLETED_CART));
    assertEquals(
        new ShoppingCart.State(
            ShoppingCart.Status.INACTIVE,
            USER,
            "us-west",
            Map.of(P1, new ShoppingCart.Line(P1, 2, P1_PRICE)),
            COMPLETED_ORDER,
            "credit card",
            null,
            at(-60),
            at(3),
            Map.of("add-p2", ADD_P2_FINGERPRINT, "checkout", CHECKOUT_FINGERPRINT)),
        completed);
    assertEquals(new BigDecimal("6.00"), completed.draft(COMPLETED_CART).total());

    ShoppingCart.State declined = replayed(journal(DECLINED_CART));
    assertEquals(ShoppingCart.Status.CANCELED, declined.status());
    assertEquals(DECLINED_ORDER, declined.orderId());
    assertEquals("payment declined: insufficient funds", declined.cancelReason());
  }

  @Test
  void aCheckoutIsNowStoredUnderItsNewName() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    var event = new ShoppingCart.CartCheckedOut(COMPLETED_ORDER, "paypal", at(0));
    assertEquals(
        "cart.ShoppingCart$CartCheckedOut",
        Serializers.manifestFor(serialization.findSerializerFor(event), event));
  }
}
