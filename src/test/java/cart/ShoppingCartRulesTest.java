package cart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import common.EntityTestKits;
import common.Rejection;
import common.Reply;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cart's rules at their edges: the limits themselves are allowed, every request to a cart that
 * does not exist or is no longer active is refused with the status that tells the truth, and
 * nothing refused is written. The orders it places are always accepted here.
 */
class ShoppingCartRulesTest {
  private static final int MAX_QUANTITY = 10;
  private static final int MAX_LINES = 3;
  private static final BigDecimal PRICE = new BigDecimal("4.00");
  private static ActorTestKit testKit;

  private String cartId;
  private EventSourcedBehaviorTestKit<ShoppingCart.Command, ShoppingCart.Event, ShoppingCart.State>
      cart;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ShoppingCartRulesTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newCart() {
    cartId = UUID.randomUUID().toString();
    cart =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            ShoppingCart.create(
                cartId,
                new CartSettings(
                    MAX_QUANTITY,
                    MAX_LINES,
                    Duration.ofSeconds(1),
                    Duration.ZERO,
                    Duration.ofHours(1)),
                draft -> CompletableFuture.completedFuture(Done.getInstance())));
  }

  private <T>
      CommandResultWithReply<ShoppingCart.Command, ShoppingCart.Event, ShoppingCart.State, Reply<T>>
          run(Function<ActorRef<Reply<T>>, ShoppingCart.Command> command) {
    return cart.runCommand(command);
  }

  private ShoppingCart.CartView accepted(
      Function<ActorRef<Reply<ShoppingCart.CartView>>, ShoppingCart.Command> command) {
    return run(command).reply().value();
  }

  /** The command is refused with this kind, and nothing is written. */
  private Rejection refused(
      Rejection.Kind kind,
      Function<ActorRef<Reply<ShoppingCart.CartView>>, ShoppingCart.Command> command) {
    return assertRefused(kind, run(command));
  }

  /** A checkout is refused with this kind, and nothing is written. */
  private Rejection checkoutRefused(Rejection.Kind kind) {
    return assertRefused(
        kind, this.<ShoppingCart.CheckedOut>run(r -> new ShoppingCart.Checkout("credit card", r)));
  }

  private static Rejection assertRefused(
      Rejection.Kind kind,
      CommandResultWithReply<
              ShoppingCart.Command, ShoppingCart.Event, ShoppingCart.State, ? extends Reply<?>>
          result) {
    Rejection rejection = assertInstanceOf(Reply.Rejected.class, result.reply()).rejection();
    assertEquals(kind, rejection.kind(), rejection.reason());
    assertTrue(result.hasNoEvents(), "a refused command writes nothing");
    return rejection;
  }

  private void open(ShoppingCart.NewLine... lines) {
    accepted(r -> new ShoppingCart.Open("user-1", "us-west", List.of(lines), r));
  }

  private String checkOut() {
    return this.<ShoppingCart.CheckedOut>run(r -> new ShoppingCart.Checkout("credit card", r))
        .reply()
        .value()
        .orderId();
  }

  private ShoppingCart.NewLine line(String productId) {
    return new ShoppingCart.NewLine(productId, 1, PRICE);
  }

  @Test
  void aCartThatWasNeverOpenedAnswersNotFoundToEveryRequest() {
    var notFound = Rejection.Kind.NOT_FOUND;
    refused(notFound, r -> new ShoppingCart.ChangeQuantity("p1", 1, PRICE, r));
    refused(notFound, r -> new ShoppingCart.RemoveItem("p1", r));
    checkoutRefused(notFound);
    refused(notFound, ShoppingCart.Cancel::new);
    var expire = refused(notFound, ShoppingCart.Expire::new);
    assertEquals("cart " + cartId + " does not exist", expire.reason());

    var outcome =
        cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
            r -> new ShoppingCart.OrderEnded("o1", true, null, r));
    assertEquals(
        ShoppingCart.Acknowledgement.ORDER_ENDED,
        outcome.reply().value(),
        "an order's outcome is acknowledged");
    assertTrue(outcome.hasNoEvents(), "and opens nothing");
  }

  @Test
  void openingAnOpenCartAgainAnswersItForItsUserAndIsRefusedForAnother() {
    open(line("p1"));
    var again =
        this.<ShoppingCart.CartView>run(
            r -> new ShoppingCart.Open("user-1", "us-west", List.of(), r));
    assertEquals(1, again.reply().value().items().size());
    assertTrue(again.hasNoEvents(), "a repeated open changes nothing");
    refused(Rejection.Kind.CONFLICT, r -> new ShoppingCart.Open("user-2", "us-west", List.of(), r));
  }

  @Test
  void aCartOpensWithAsManyProductsAsItMayHold() {
    open(line("p1"), line("p2"), line("p3"));
    assertEquals(MAX_LINES, cart.getState().lines().size());
  }

  @Test
  void aLineHoldsFromOneUnitUpToTheLimitItself() {
    open();
    assertEquals(
        MAX_QUANTITY,
        accepted(r -> new ShoppingCart.AddItem("p1", MAX_QUANTITY, PRICE, r))
            .items()
            .get(0)
            .quantity());
    accepted(r -> new ShoppingCart.AddItem("p2", 4, PRICE, r));
    var topUp = accepted(r -> new ShoppingCart.AddItem("p2", MAX_QUANTITY - 4, PRICE, r));
    assertEquals(MAX_QUANTITY, topUp.items().get(1).quantity(), "topped up to the limit");
    assertEquals(
        1,
        accepted(r -> new ShoppingCart.ChangeQuantity("p1", 1, PRICE, r))
            .items()
            .get(0)
            .quantity());
    assertEquals(
        MAX_QUANTITY,
        accepted(r -> new ShoppingCart.ChangeQuantity("p1", MAX_QUANTITY, PRICE, r))
            .items()
            .get(0)
            .quantity());
    refused(Rejection.Kind.INVALID, r -> new ShoppingCart.ChangeQuantity("p1", 11, PRICE, r));
  }

  @Test
  void aFreeProductMayBeAddedButNoLineTakesANegativePrice() {
    open();
    var free = accepted(r -> new ShoppingCart.AddItem("p1", 2, BigDecimal.ZERO, r));
    assertEquals(0, free.total().signum());
    var negative =
        refused(
            Rejection.Kind.INVALID,
            r -> new ShoppingCart.ChangeQuantity("p1", 2, new BigDecimal("-0.01"), r));
    assertEquals("unit price must not be negative", negative.reason());
    refused(Rejection.Kind.INVALID, r -> new ShoppingCart.ChangeQuantity("p1", 3, null, r));
  }

  @Test
  void aCheckedOutOrEndedCartRefusesEveryChangeToItsLines() {
    open(line("p1"));
    String orderId = checkOut();
    var changed =
        refused(Rejection.Kind.CONFLICT, r -> new ShoppingCart.ChangeQuantity("p1", 2, PRICE, r));
    assertEquals("cart " + cartId + " is checked_out, not active", changed.reason());
    refused(Rejection.Kind.CONFLICT, r -> new ShoppingCart.RemoveItem("p1", r));

    cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
        r -> new ShoppingCart.OrderEnded(orderId, true, null, r));
    refused(Rejection.Kind.CONFLICT, r -> new ShoppingCart.ChangeQuantity("p1", 2, PRICE, r));
    refused(Rejection.Kind.CONFLICT, r -> new ShoppingCart.RemoveItem("p1", r));
    assertEquals(1, cart.getState().lines().get("p1").quantity());
  }

  @Test
  void checkoutOfACompletedCartAnswersItsOrderAndOfAGivenUpCartIsRefused() {
    open(line("p1"));
    String orderId = checkOut();
    cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
        r -> new ShoppingCart.OrderEnded(orderId, true, null, r));
    assertEquals(orderId, checkOut(), "the completed cart's order");

    newCart();
    open(line("p1"));
    accepted(ShoppingCart.Cancel::new);
    checkoutRefused(Rejection.Kind.CONFLICT);
  }

  @Test
  void theOutcomeOfAnotherOrderIsAcknowledgedAndChangesNothing() {
    open(line("p1"));
    checkOut();
    var other =
        cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
            r -> new ShoppingCart.OrderEnded("other", false, "x", r));
    assertEquals(ShoppingCart.Acknowledgement.ORDER_ENDED, other.reply().value());
    assertTrue(other.hasNoEvents());
    assertEquals(ShoppingCart.Status.CHECKED_OUT, cart.getState().status());
  }
}
