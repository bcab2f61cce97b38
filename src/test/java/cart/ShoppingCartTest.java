package cart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.Done;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import common.EntityTestKits;
import common.Rejection;
import common.Reply;
import common.RequestKey;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import order.OrderDraft;
import order.OrderPlacement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ShoppingCartTest {
  private static final BigDecimal PRICE = new BigDecimal("12.50");
  private static final Duration EXPIRE_AFTER = Duration.ofMillis(300);
  private static ActorTestKit testKit;

  private final List<OrderDraft> placed = new CopyOnWriteArrayList<>();
  private final AtomicBoolean placementFails = new AtomicBoolean();
  private final AtomicBoolean placementRefused = new AtomicBoolean();
  private final AtomicInteger placements = new AtomicInteger();
  private final OrderPlacement orders =
      draft -> {
        placements.incrementAndGet();
        if (placementFails.get()) {
          return CompletableFuture.failedFuture(new RuntimeException("order shard unavailable"));
        }
        if (placementRefused.get()) {
          // As Orders.place fails: the rejection thrown in a stage, hence wrapped.
          return CompletableFuture.completedFuture(Done.getInstance())
              .thenApply(
                  done -> {
                    throw Rejection.conflict("order was placed with other content").asException();
                  });
        }
        placed.add(draft);
        return CompletableFuture.completedFuture(Done.getInstance());
      };
  private EventSourcedBehaviorTestKit<ShoppingCart.Command, ShoppingCart.Event, ShoppingCart.State>
      cart;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ShoppingCartTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newCart() {
    cart =
        EventSourcedBehaviorTestKit.create(
            testKit.system(),
            ShoppingCart.create(
                UUID.randomUUID().toString(),
                new CartSettings(10, 3, Duration.ofMillis(100), Duration.ZERO, EXPIRE_AFTER),
                orders));
  }

  private Reply<ShoppingCart.CartView> open() {
    return cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.Open("user-1", "us-west", List.of(), r))
        .reply();
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          ShoppingCart.Command,
          ShoppingCart.Event,
          ShoppingCart.State,
          Reply<ShoppingCart.CartView>>
      add(String product, int quantity) {
    return cart.runCommand(r -> new ShoppingCart.AddItem(product, quantity, PRICE, r));
  }

  private static Rejection.Kind rejectionKind(Reply<?> reply) {
    return assertInstanceOf(Reply.Rejected.class, reply).rejection().kind();
  }

  /** A shopper's command as the HTTP API sends it: checked against the cart's owner. */
  private Reply<ShoppingCart.CartView> byShopper(
      String userId,
      java.util.function.Function<
              ActorRef<Reply<ShoppingCart.CartView>>, ShoppingCart.AnsweredWithView>
          command) {
    return cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ByShopper(userId, command.apply(r)))
        .reply();
  }

  @Test
  void aCartIsItsOwnersOnlyToAnyoneElseItDoesNotExist() {
    byShopper("owner", r -> new ShoppingCart.Open("owner", "us-west", List.of(), r)).value();
    byShopper("owner", r -> new ShoppingCart.AddItem("p1", 2, PRICE, r)).value();
    var before = cart.getState();

    assertEquals(
        Rejection.Kind.NOT_FOUND, rejectionKind(byShopper("stranger", ShoppingCart.Get::new)));
    assertEquals(
        Rejection.Kind.NOT_FOUND,
        rejectionKind(byShopper("stranger", r -> new ShoppingCart.AddItem("p1", 1, PRICE, r))));
    assertEquals(
        Rejection.Kind.NOT_FOUND,
        rejectionKind(
            cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
                    r ->
                        new ShoppingCart.ByShopper(
                            "stranger", new ShoppingCart.Checkout("paypal", r)))
                .reply()));
    assertEquals(
        Rejection.Kind.NOT_FOUND, rejectionKind(byShopper("stranger", ShoppingCart.Cancel::new)));
    assertEquals(before, cart.getState(), "nothing changed");
    assertEquals(2, byShopper("owner", ShoppingCart.Get::new).value().items().get(0).quantity());
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          ShoppingCart.Command,
          ShoppingCart.Event,
          ShoppingCart.State,
          Reply<ShoppingCart.CartView>>
      keyed(String key, String fingerprint, int quantity) {
    return cart.runCommand(
        r ->
            new ShoppingCart.ByShopper(
                "owner",
                new ShoppingCart.ChangeQuantity("p1", quantity, PRICE, r),
                new RequestKey(key, fingerprint)));
  }

  @Test
  void aChangeUnderAKeyIsMadeOnceEvenAfterARestart() {
    byShopper("owner", r -> new ShoppingCart.Open("owner", "us-west", List.of(), r));
    byShopper("owner", r -> new ShoppingCart.AddItem("p1", 1, PRICE, r));
    var first = keyed("k1", "f1", 4);
    assertEquals(2, first.events().size(), "the change and its key, in one write");
    cart.restart();
    var repeat = keyed("k1", "f1", 4);
    assertTrue(repeat.hasNoEvents());
    assertEquals(first.reply(), repeat.reply(), "answered as the first time");
    var reused = keyed("k1", "f2", 5);
    assertEquals(Rejection.Kind.INVALID, rejectionKind(reused.reply()));
    assertTrue(reused.hasNoEvents());
    assertEquals(4, cart.getState().lines().get("p1").quantity());
  }

  @Test
  void aCartRemembersItsNewestKeysOnly() {
    byShopper("owner", r -> new ShoppingCart.Open("owner", "us-west", List.of(), r));
    byShopper("owner", r -> new ShoppingCart.AddItem("p1", 1, PRICE, r));
    for (int i = 0; i <= ShoppingCart.MAX_REQUEST_KEYS; i++) {
      keyed("k" + i, "f", 1 + i % 2);
    }
    assertEquals(ShoppingCart.MAX_REQUEST_KEYS, cart.getState().requestKeys().size());
    assertTrue(!cart.getState().requestKeys().containsKey("k0"), "the oldest is forgotten");
    assertTrue(cart.getState().requestKeys().containsKey("k" + ShoppingCart.MAX_REQUEST_KEYS));
  }

  @Test
  void aShopperCannotOpenACartForSomeoneElse() {
    assertEquals(
        Rejection.Kind.NOT_FOUND,
        rejectionKind(
            byShopper("stranger", r -> new ShoppingCart.Open("owner", "us-west", List.of(), r))));
    assertEquals(ShoppingCart.Status.NEW, cart.getState().status());
  }

  @Test
  void commandsOnACartThatWasNeverOpenedAnswerNotFound() {
    var result = add("p1", 1);
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(result.reply()));
    assertTrue(result.hasNoEvents());
    var get = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Get::new);
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(get.reply()));
  }

  @Test
  void addingCapturesThePriceAndAddingAgainAddsUnitsToTheLine() {
    open();
    var first = add("p1", 2);
    assertInstanceOf(ShoppingCart.ItemAdded.class, first.event());
    var second = add("p1", 3);
    var change = assertInstanceOf(ShoppingCart.ItemQuantityChanged.class, second.event());
    assertEquals(2, change.oldQuantity());
    assertEquals(5, change.newQuantity());
    var view = second.reply().value();
    assertEquals(new BigDecimal("62.50"), view.total());
    assertEquals(PRICE, view.items().get(0).unitPrice());
  }

  @Test
  void aLineTakesThePriceOfNowWheneverItChanges() {
    open();
    add("p1", 1);
    BigDecimal raised = new BigDecimal("20.00");
    var more =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.AddItem("p1", 1, raised, r));
    var change = assertInstanceOf(ShoppingCart.ItemQuantityChanged.class, more.event());
    assertEquals(raised, change.unitPrice(), "the added unit does not buy the older price");
    assertEquals(new BigDecimal("40.00"), more.reply().value().total());

    BigDecimal lowered = new BigDecimal("15.00");
    var set =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p1", 3, lowered, r));
    assertEquals(new BigDecimal("45.00"), set.reply().value().total());
    var samePrice =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p1", 3, lowered, r));
    assertTrue(samePrice.hasNoEvents(), "nothing changed, nothing written");
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          ShoppingCart.Command,
          ShoppingCart.Event,
          ShoppingCart.State,
          Reply<ShoppingCart.CartView>>
      openWith(ShoppingCart.NewLine... lines) {
    return cart.runCommand(r -> new ShoppingCart.Open("user-1", "us-west", List.of(lines), r));
  }

  @Test
  void aCartOpenedWithLinesWritesThemWithTheCartInOneWrite() {
    var result =
        openWith(
            new ShoppingCart.NewLine("p1", 2, PRICE),
            new ShoppingCart.NewLine("p2", 1, new BigDecimal("3.00")));
    assertEquals(3, result.events().size());
    assertInstanceOf(ShoppingCart.CartOpened.class, result.events().get(0));
    var p2 = assertInstanceOf(ShoppingCart.ItemAdded.class, result.events().get(2));
    assertEquals("p2", p2.productId());
    var view = result.reply().value();
    assertEquals(ShoppingCart.Status.ACTIVE, view.status());
    assertEquals(new BigDecimal("28.00"), view.total());

    cart.restart();
    var recovered = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Get::new).reply();
    assertEquals(view.items(), recovered.value().items());
  }

  @Test
  void aCartOpenedWithABadLineIsRefusedAndNotOpened() {
    for (var lines :
        List.of(
            List.of(new ShoppingCart.NewLine("p1", 0, PRICE)),
            List.of(new ShoppingCart.NewLine("p1", 11, PRICE)),
            List.of(new ShoppingCart.NewLine("p1", 1, new BigDecimal("-1"))),
            List.of(
                new ShoppingCart.NewLine("p1", 1, PRICE), new ShoppingCart.NewLine("p1", 1, PRICE)),
            List.of(
                new ShoppingCart.NewLine("p1", 1, PRICE),
                new ShoppingCart.NewLine("p2", 1, PRICE),
                new ShoppingCart.NewLine("p3", 1, PRICE),
                new ShoppingCart.NewLine("p4", 1, PRICE)))) {
      var result = openWith(lines.toArray(ShoppingCart.NewLine[]::new));
      assertEquals(Rejection.Kind.INVALID, rejectionKind(result.reply()), lines.toString());
      assertTrue(result.hasNoEvents());
    }
    var get = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Get::new);
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(get.reply()));
  }

  @Test
  void quantitiesOutsideOneToTheLimitAreRefusedAndChangeNothing() {
    open();
    for (int quantity : new int[] {0, -1, 11, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
      var result = add("p1", quantity);
      assertEquals(Rejection.Kind.INVALID, rejectionKind(result.reply()), "quantity " + quantity);
      assertTrue(result.hasNoEvents());
    }
    add("p1", 9);
    var overLimit = add("p1", 2);
    assertEquals(Rejection.Kind.INVALID, rejectionKind(overLimit.reply()));
    assertTrue(overLimit.hasNoEvents());
  }

  @Test
  void aCartNeverTotalsMoreThanAnOrderMayHold() {
    open();
    BigDecimal dearest = new BigDecimal("9999999999.99");
    var twoOfTheDearest =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.AddItem("p1", 2, dearest, r));
    assertEquals(Rejection.Kind.INVALID, rejectionKind(twoOfTheDearest.reply()));
    assertTrue(twoOfTheDearest.hasNoEvents());
    cart.<Reply<ShoppingCart.CartView>>runCommand(
        r -> new ShoppingCart.AddItem("p1", 1, dearest, r));
    var oneCentMore = add("p2", 1);
    assertEquals(Rejection.Kind.INVALID, rejectionKind(oneCentMore.reply()));
    assertTrue(oneCentMore.hasNoEvents());
    var raised =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p1", 2, dearest, r));
    assertEquals(Rejection.Kind.INVALID, rejectionKind(raised.reply()));
    assertTrue(raised.hasNoEvents());

    newCart();
    var openedTooDear =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r ->
                new ShoppingCart.Open(
                    "user-1",
                    "us-west",
                    List.of(
                        new ShoppingCart.NewLine("p1", 1, dearest),
                        new ShoppingCart.NewLine("p2", 1, PRICE)),
                    r));
    assertEquals(Rejection.Kind.INVALID, rejectionKind(openedTooDear.reply()));
    assertTrue(openedTooDear.hasNoEvents());
  }

  @Test
  void aCartHoldsAtMostTheConfiguredNumberOfProducts() {
    open();
    add("p1", 1);
    add("p2", 1);
    add("p3", 1);
    var result = add("p4", 1);
    assertEquals(Rejection.Kind.INVALID, rejectionKind(result.reply()));
    assertTrue(result.hasNoEvents());
  }

  @Test
  void changeAndRemoveWorkOnExistingLinesOnly() {
    open();
    add("p1", 2);
    var change =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p1", 7, PRICE, r));
    assertEquals(7, change.reply().value().items().get(0).quantity());
    var changeMissing =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p9", 1, PRICE, r));
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(changeMissing.reply()));
    var changeToZero =
        cart.<Reply<ShoppingCart.CartView>>runCommand(
            r -> new ShoppingCart.ChangeQuantity("p1", 0, PRICE, r));
    assertEquals(Rejection.Kind.INVALID, rejectionKind(changeToZero.reply()));
    assertTrue(changeToZero.hasNoEvents());
    var remove =
        cart.<Reply<ShoppingCart.CartView>>runCommand(r -> new ShoppingCart.RemoveItem("p1", r));
    assertInstanceOf(ShoppingCart.ItemRemoved.class, remove.event());
    var removeAgain =
        cart.<Reply<ShoppingCart.CartView>>runCommand(r -> new ShoppingCart.RemoveItem("p1", r));
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(removeAgain.reply()));
  }

  @Test
  void checkoutOfAnEmptyCartOrWithAnUnknownPaymentMethodIsRefused() {
    open();
    var empty =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("credit card", r));
    assertEquals(Rejection.Kind.CONFLICT, rejectionKind(empty.reply()));
    add("p1", 1);
    var badMethod =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(r -> new ShoppingCart.Checkout("cash", r));
    assertEquals(Rejection.Kind.INVALID, rejectionKind(badMethod.reply()));
    assertTrue(badMethod.hasNoEvents());
    assertTrue(placed.isEmpty());
  }

  @Test
  void checkoutPlacesTheOrderAndASecondCheckoutAnswersTheSameOrderId() {
    open();
    add("p1", 2);
    add("p2", 1);
    var first =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("paypal", r));
    String orderId = first.reply().value().orderId();
    var second =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("paypal", r));
    assertEquals(orderId, second.reply().value().orderId());
    assertTrue(second.hasNoEvents());

    OrderDraft draft = placed.get(0);
    assertEquals(orderId, draft.orderId());
    assertEquals("user-1", draft.userId());
    assertEquals("us-west", draft.region());
    assertEquals("paypal", draft.paymentMethod());
    assertEquals(new BigDecimal("37.50"), draft.total());
  }

  @Test
  void aCheckedOutCartRefusesChanges() {
    open();
    add("p1", 1);
    cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
        r -> new ShoppingCart.Checkout("credit card", r));
    var result = add("p2", 1);
    assertEquals(Rejection.Kind.CONFLICT, rejectionKind(result.reply()));
    assertTrue(result.hasNoEvents());
    var cancel = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Cancel::new);
    assertEquals(Rejection.Kind.CONFLICT, rejectionKind(cancel.reply()));
  }

  @Test
  void theOrderOutcomeEndsTheCartAsInactiveOrCanceled() {
    open();
    add("p1", 1);
    String orderId =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(r -> new ShoppingCart.Checkout("paypal", r))
            .reply()
            .value()
            .orderId();
    var ended =
        cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
            r -> new ShoppingCart.OrderEnded(orderId, true, null, r));
    assertInstanceOf(ShoppingCart.CartCompleted.class, ended.event());
    var again =
        cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
            r -> new ShoppingCart.OrderEnded(orderId, true, null, r));
    assertTrue(again.hasNoEvents());
    assertEquals(ShoppingCart.Status.INACTIVE, cart.getState().status());

    newCart();
    open();
    add("p1", 1);
    String failedOrder =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(r -> new ShoppingCart.Checkout("paypal", r))
            .reply()
            .value()
            .orderId();
    cart.<Reply<ShoppingCart.Acknowledgement>>runCommand(
        r -> new ShoppingCart.OrderEnded(failedOrder, false, "out of stock", r));
    assertEquals(ShoppingCart.Status.CANCELED, cart.getState().status());
    assertEquals("out of stock", cart.getState().cancelReason());
  }

  @Test
  void anActiveCartUnchangedPastItsExpiryIsCanceledAndOnlyThen() throws Exception {
    open();
    add("p1", 1);
    var early = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Expire::new);
    assertTrue(early.hasNoEvents(), "changed just now: not expired");
    Thread.sleep(EXPIRE_AFTER.toMillis() + 100);
    var late = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Expire::new);
    var canceled = assertInstanceOf(ShoppingCart.CartCanceled.class, late.event());
    assertTrue(canceled.reason().startsWith("expired"), canceled.reason());
    assertEquals(ShoppingCart.Status.CANCELED, late.reply().value().status());
    assertTrue(
        cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Expire::new).hasNoEvents(),
        "an ended cart does not expire again");
  }

  @Test
  void theShopperCanGiveUpAnActiveCart() {
    open();
    add("p1", 1);
    var cancel = cart.<Reply<ShoppingCart.CartView>>runCommand(ShoppingCart.Cancel::new);
    assertEquals(ShoppingCart.Status.CANCELED, cancel.reply().value().status());
    assertEquals(Rejection.Kind.CONFLICT, rejectionKind(add("p2", 1).reply()));
  }

  @Test
  void aPlacementTheOrderRefusesCancelsTheCartInsteadOfRetryingForever() throws Exception {
    open();
    add("p1", 1);
    placementRefused.set(true);
    var checkout =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("credit card", r));
    assertEquals(Rejection.Kind.CONFLICT, rejectionKind(checkout.reply()));
    Thread.sleep(500); // five placement retry intervals
    assertEquals(1, placements.get(), "no retry");
    assertEquals(ShoppingCart.Status.CANCELED, cart.getState().view("c").status());
    assertTrue(cart.getState().cancelReason().contains("refused"), cart.getState().cancelReason());
  }

  @Test
  void aFailedPlacementAnswersUnavailableAndIsRetriedUntilTheOrderExists() throws Exception {
    open();
    add("p1", 1);
    placementFails.set(true);
    var first =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("credit card", r));
    assertEquals(Rejection.Kind.UNAVAILABLE, rejectionKind(first.reply()));
    String orderId = cart.getState().orderId();
    placementFails.set(false);
    long deadline = System.currentTimeMillis() + 5_000;
    while (placed.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(orderId, placed.get(0).orderId());
    var again =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(
            r -> new ShoppingCart.Checkout("credit card", r));
    assertEquals(orderId, again.reply().value().orderId());
  }

  @Test
  void stateRecoversAfterRestartAndACheckedOutCartPlacesItsOrderAgain() throws Exception {
    open();
    add("p1", 2);
    add("p2", 3);
    String orderId =
        cart.<Reply<ShoppingCart.CheckedOut>>runCommand(r -> new ShoppingCart.Checkout("paypal", r))
            .reply()
            .value()
            .orderId();
    var before = cart.getState();
    placed.clear();
    cart.restart();
    assertEquals(before, cart.getState());
    assertNull(before.cancelReason());
    long deadline = System.currentTimeMillis() + 5_000;
    while (placed.isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    assertEquals(orderId, placed.get(0).orderId(), "the order is placed again after recovery");
  }
}
