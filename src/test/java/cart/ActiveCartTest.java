package cart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.pattern.AskTimeoutException;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import common.EntityTestKits;
import common.Rejection;
import common.Reply;
import common.RequestKey;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ActiveCartTest {
  private static ActorTestKit testKit;

  private final StandInCarts carts = new StandInCarts();
  private EventSourcedBehaviorTestKit<ActiveCart.Command, ActiveCart.Event, ActiveCart.State>
      activeCart;

  @BeforeAll
  static void startTestKit() {
    testKit = EntityTestKits.create("ActiveCartTest");
  }

  @AfterAll
  static void stopTestKit() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void newUser() {
    activeCart =
        EventSourcedBehaviorTestKit.create(
            testKit.system(), ActiveCart.create(UUID.randomUUID().toString(), carts));
  }

  private EventSourcedBehaviorTestKit.CommandResultWithReply<
          ActiveCart.Command, ActiveCart.Event, ActiveCart.State, Reply<ActiveCart.Opened>>
      open(String cartId) {
    return activeCart.runCommand(r -> openCommand(cartId, r));
  }

  private static ActiveCart.Open openCommand(
      String cartId, ActorRef<Reply<ActiveCart.Opened>> replyTo) {
    return new ActiveCart.Open(cartId, "us-west", List.of(), null, replyTo);
  }

  private Reply<ShoppingCart.CartView> get() {
    return activeCart.<Reply<ShoppingCart.CartView>>runCommand(ActiveCart.Get::new).reply();
  }

  /** The cart this open opened. */
  private static String openedCart(Reply<ActiveCart.Opened> reply) {
    ActiveCart.Opened opened = reply.value();
    assertTrue(opened.byThisRequest(), "opened by this request");
    return opened.cart().cartId();
  }

  /** The active cart this open found, opened before it. */
  private static String foundCart(Reply<ActiveCart.Opened> reply) {
    ActiveCart.Opened opened = reply.value();
    assertFalse(opened.byThisRequest(), "opened before this request");
    return opened.cart().cartId();
  }

  private static Rejection.Kind rejectionKind(Reply<?> reply) {
    return assertInstanceOf(Reply.Rejected.class, reply).rejection().kind();
  }

  @Test
  void openingAgainAnswersTheActiveCartAndOpensNothing() {
    var first = open("cart-1");
    assertEquals("cart-1", openedCart(first.reply()));
    assertEquals(List.of("cart-1"), chosen(first.events()), "recorded before it was opened");

    var second = open("cart-2");
    assertEquals("cart-1", foundCart(second.reply()));
    assertTrue(second.events().isEmpty(), "nothing written");
    assertEquals(List.of("cart-1"), carts.opened, "cart-2 was never opened");
  }

  @Test
  void aCartThatEndedMakesWayForANewOne() {
    open("cart-1");
    carts.end("cart-1", ShoppingCart.Status.CHECKED_OUT);
    var second = open("cart-2");
    assertEquals("cart-2", openedCart(second.reply()));
    assertEquals(List.of("cart-2"), chosen(second.events()));

    carts.end("cart-2", ShoppingCart.Status.CANCELED);
    assertEquals("cart-3", openedCart(open("cart-3").reply()));
  }

  @Test
  void aCartRecordedButNeverOpenedDoesNotStrandItsUser() {
    carts.opensLost.set(true);
    var lost = open("cart-1");
    assertEquals(Rejection.Kind.UNAVAILABLE, rejectionKind(lost.reply()));
    assertEquals("cart-1", lost.state().cartId(), "recorded, never opened");

    carts.opensLost.set(false);
    assertEquals("cart-2", openedCart(open("cart-2").reply()));
    assertEquals("cart-2", get().value().cartId());
  }

  @Test
  void aRepeatUnderTheSameKeyIsAnsweredByTheCartItChose() {
    open("cart-1");
    var repeat = open("cart-1");
    assertEquals("cart-1", openedCart(repeat.reply()), "answered as the first time");
    assertTrue(repeat.events().isEmpty());
    assertEquals(
        List.of("cart-1", "cart-1"), carts.opened, "the cart saw the repeat, to check its key");
  }

  @Test
  void theActiveCartIsReadAndAnEndedOneIsForgottenOnce() {
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(get()));
    open("cart-1");
    assertEquals("cart-1", get().value().cartId());

    carts.end("cart-1", ShoppingCart.Status.INACTIVE);
    var ended = activeCart.<Reply<ShoppingCart.CartView>>runCommand(ActiveCart.Get::new);
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(ended.reply()));
    assertInstanceOf(ActiveCart.CartEnded.class, ended.events().get(0));
    assertNull(ended.state().cartId());

    int asked = carts.gets.get();
    assertEquals(Rejection.Kind.NOT_FOUND, rejectionKind(get()));
    assertEquals(asked, carts.gets.get(), "the ended cart is not asked again");
  }

  @Test
  void theActiveCartIsKnownAfterARestart() {
    open("cart-1");
    activeCart.restart();
    assertEquals("cart-1", activeCart.getState().cartId());
    assertEquals("cart-1", foundCart(open("cart-2").reply()));
  }

  @Test
  void opensAtOnceEndWithOneCart() {
    // The first cart opens only when released: every other open arrives meanwhile.
    carts.opensHeld.set(true);
    var entity = testKit.spawn(ActiveCart.create(UUID.randomUUID().toString(), carts));
    List<TestProbe<Reply<ActiveCart.Opened>>> shoppers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      TestProbe<Reply<ActiveCart.Opened>> shopper = testKit.createTestProbe();
      entity.tell(openCommand("cart-" + i, shopper.ref()));
      shoppers.add(shopper);
    }
    carts.release();

    List<String> answered = new ArrayList<>();
    int opened = 0;
    for (TestProbe<Reply<ActiveCart.Opened>> shopper : shoppers) {
      ActiveCart.Opened reply = shopper.receiveMessage().value();
      opened += reply.byThisRequest() ? 1 : 0;
      answered.add(reply.cart().cartId());
    }
    assertEquals(1, opened, "one open opened a cart: " + answered);
    assertEquals(1, answered.stream().distinct().count(), "all answered one cart: " + answered);
    assertEquals(1, carts.opened.size(), "one cart opened: " + carts.opened);
    testKit.stop(entity);
  }

  private static List<String> chosen(List<ActiveCart.Event> events) {
    return events.stream()
        .map(e -> assertInstanceOf(ActiveCart.CartChosen.class, e).cartId())
        .toList();
  }

  /**
   * Carts as ActiveCart sees them, by status; a cart never opened answers not found. Opens may be
   * lost (a crash between ActiveCart's write and the cart's) or held until released.
   */
  private static final class StandInCarts implements Carts {
    final Map<String, ShoppingCart.Status> statusById = new ConcurrentHashMap<>();
    final List<String> opened = new CopyOnWriteArrayList<>();
    final AtomicInteger gets = new AtomicInteger();
    final AtomicBoolean opensLost = new AtomicBoolean();
    final AtomicBoolean opensHeld = new AtomicBoolean();
    private final CompletableFuture<Void> released = new CompletableFuture<>();

    void end(String cartId, ShoppingCart.Status status) {
      statusById.put(cartId, status);
    }

    void release() {
      released.complete(null);
    }

    @Override
    public CompletionStage<ShoppingCart.CartView> open(
        String cartId,
        String userId,
        String region,
        List<ShoppingCart.NewLine> lines,
        RequestKey requestKey) {
      if (opensLost.get()) {
        return CompletableFuture.failedFuture(new AskTimeoutException("the open was lost"));
      }
      opened.add(cartId);
      CompletableFuture<Void> when =
          opensHeld.get() ? released : CompletableFuture.completedFuture(null);
      return when.thenApply(
          done -> {
            statusById.putIfAbsent(cartId, ShoppingCart.Status.ACTIVE);
            return view(cartId);
          });
    }

    @Override
    public CompletionStage<ShoppingCart.CartView> get(String cartId) {
      gets.incrementAndGet();
      return statusById.containsKey(cartId)
          ? CompletableFuture.completedFuture(view(cartId))
          : CompletableFuture.failedFuture(
              Rejection.notFound("cart " + cartId + " does not exist").asException());
    }

    private ShoppingCart.CartView view(String cartId) {
      Instant now = Instant.now();
      return new ShoppingCart.CartView(
          cartId,
          "user-1",
          "us-west",
          statusById.get(cartId),
          List.of(),
          BigDecimal.ZERO,
          null,
          null,
          now,
          now);
    }
  }
}
