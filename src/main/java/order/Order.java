package order;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.annotation.JsonProperty;
import common.CborSerializable;
import common.EndedPassivation;
import common.EntityDefaults;
import common.Failures;
import common.Rejection;
import common.Reply;
import common.ShortLivedEntity;
import inventory.ProductStock;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import metrics.NodeMetrics;
import order.payment.Payment;
import order.payment.PaymentGateway;
import order.payment.PaymentMethods;

/**
 * One order: the checkout process as a durable state machine. placed → every line reserved →
 * payment charged → reservations committed → completed; a refused line or a declined payment
 * releases what was reserved and ends canceled with the reason. Every step's outcome is an event,
 * so after a crash the order resumes from its last step on whichever node now hosts it; every step
 * it repeats is idempotent on the other side.
 *
 * <p>Steps that can be repeated without harm run before their outcome is written, and the outcomes
 * are written together: reserving every line and charging the payment (both idempotent per order)
 * are one write, committing or releasing the stock and telling the cart are another. What cannot be
 * repeated after it — a commit or a release — starts only once the step before it is written. An
 * order that completes costs three writes: placed, charged, completed.
 *
 * <p>A completed order then ships: the carrier (idempotent per order, like the gateway) assigns a
 * tracking number, written as {@link OrderShipped}, a fourth write. The status stays completed (the
 * checkout's outcome); the shipment is a field of its own, so a carrier that fails only delays the
 * tracking number, never the shopper's answer.
 *
 * <p>The command handler has one block per status with the commands that status accepts ({@link
 * #commandHandler()}).
 */
public final class Order extends ShortLivedEntity<Order.Command, Order.Event, Order.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Order");

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Starts the order; the same draft again is acknowledged without a second order. */
  public record Place(OrderDraft draft, ActorRef<Reply<OrderView>> replyTo) implements Command {}

  public record Get(ActorRef<Reply<OrderView>> replyTo) implements Command {}

  /** Answers the order once it has ended (at once if it has), so a shopper need not poll. */
  public record AwaitEnd(ActorRef<Reply<OrderView>> replyTo) implements Command {}

  /**
   * The answer of a step the order started, sent to itself (never leaves the node): the outcome, or
   * the error the step failed with. {@code failures} counts the step's failed attempts before this
   * one, so that each retry backs off further.
   */
  private sealed interface StepAnswer extends Command {
    Throwable error();

    int failures();
  }

  /** Every line's answer from its stock, and the payment when all were reserved. */
  private record ReservationAnswered(Reservation reservation, Throwable error, int failures)
      implements StepAnswer {}

  /** The charge of an order whose lines an earlier version reserved as a step of its own. */
  private record ChargeAnswered(Payment payment, Throwable error, int failures)
      implements StepAnswer {}

  /** Every line committed (or released); cartError is null if the cart was told too. */
  private record LinesSettled(Throwable cartError, Throwable error, int failures)
      implements StepAnswer {}

  private record CartAnswered(Throwable error, int failures) implements StepAnswer {}

  private record ShipmentAnswered(Shipment shipment, Throwable error, int failures)
      implements StepAnswer {}

  /** Time to start the step again, after this many failed attempts. */
  private record RetryStep(int failures) implements Command {}

  /** Nothing arrived for a while after the order ended and its cart knew. */
  private enum IdleAfterEnd implements Command {
    INSTANCE
  }

  // ---- replies

  /** What the API shows of an order: every command answers it, as {@code Reply<OrderView>}. */
  public record OrderView(
      String orderId,
      String cartId,
      String userId,
      String region,
      String status,
      List<OrderLine> items,
      BigDecimal total,
      String paymentMethod,
      Payment payment,
      String cancelReason,
      CancelCause cancelCause,
      Shipment shipment,
      Instant placedAt,
      Instant updatedAt) {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record OrderPlaced(OrderDraft draft, BigDecimal total, Instant at) implements Event {}

  public record LineReserved(String productId, Instant at) implements Event {}

  public record LineRefused(String productId, String reason, Instant at) implements Event {}

  /**
   * Every line of the order is reserved: the order goes on to payment. Stored as {@code
   * order.Order$StockReserved} before it was renamed; those events are read through {@link
   * StockReservedMigration}.
   */
  public record AllLinesReserved(Instant at) implements Event {}

  /**
   * The order will not complete; what was reserved is being released. Version 2 added the cause;
   * events of version 1 are read through {@link CancellationStartedMigration}.
   */
  public record CancellationStarted(CancelCause cause, String reason, Instant at)
      implements Event {}

  public record PaymentCharged(Payment payment) implements Event {}

  public record PaymentDeclined(Payment payment) implements Event {}

  public record OrderCompleted(Instant at) implements Event {}

  public record OrderCanceled(String reason, Instant at) implements Event {}

  /** The cart that placed the order heard how it ended. */
  public record CartNotified(Instant at) implements Event {}

  /**
   * The carrier took the completed order and assigned its tracking number. Self-contained (order,
   * user, carrier, number), so that a reader of the events, such as a shipping confirmation, needs
   * nothing else.
   */
  public record OrderShipped(
      String orderId, String userId, String carrier, String trackingNumber, Instant at)
      implements Event {}

  // ---- state

  /**
   * Where an order is in its process, and the one source of the names the API and the read side
   * give it (orders.order_status, order_status_history.status): {@link #label()}, and {@link
   * #sql()} in statements over the read side.
   */
  public enum Status {
    /** Not placed yet. */
    NEW,
    /** Placed; reserving every line, then charging. */
    PLACED,
    /**
     * Every line reserved; charging. Written with the charge's outcome, so only an order that an
     * earlier version (which charged as a step of its own) left here waits in it.
     */
    STOCK_RESERVED,
    /** Charged; committing the reservations. */
    PAID,
    /** Ended paid; telling the cart, then shipping. */
    COMPLETED,
    /** A line was refused, the payment declined or a step failed; releasing what was reserved. */
    CANCELING,
    /** Ended without a sale; telling the cart. */
    CANCELED;

    /** As the API and the read side spell it. */
    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** The label as an SQL literal, for statements over the read side. */
    String sql() {
      return "'" + label() + "'";
    }
  }

  /**
   * Why an order was canceled, as a code that clients and queries can rely on; the reason says the
   * same in words, with the product and the counts.
   */
  public enum CancelCause {
    /** A line could not be reserved: its product had too few units. */
    @JsonProperty("out_of_stock")
    OUT_OF_STOCK,
    /** The payment gateway declined the charge. */
    @JsonProperty("payment_declined")
    PAYMENT_DECLINED,
    /**
     * A step failed in a way that no retry can change (the database refused what the step wrote,
     * e.g. a value out of its column's range): nothing was charged.
     */
    @JsonProperty("step_failed")
    STEP_FAILED;

    /** As the API and the read side show it. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A line's answer from its product's stock. */
  public record LineAnswer(boolean reserved, String refusal) implements CborSerializable {}

  /** Why an order is being, or was, canceled: the cause as a code, the reason in words. */
  public record Cancellation(CancelCause cause, String reason) implements CborSerializable {}

  public record State(
      Status status,
      OrderDraft draft,
      BigDecimal total,
      Map<String, LineAnswer> stockAnswers,
      Payment payment,
      Cancellation cancellation,
      boolean cartNotified,
      Shipment shipment,
      Instant placedAt,
      Instant updatedAt)
      implements CborSerializable {

    static final State EMPTY =
        new State(Status.NEW, null, null, Map.of(), null, null, false, null, null, null);

    State placed(OrderPlaced e) {
      return new State(
          Status.PLACED, e.draft(), e.total(), Map.of(), null, null, false, null, e.at(), e.at());
    }

    /** Records one line's answer; the status moves with its own event once all have answered. */
    State lineDecided(String productId, LineAnswer answer, Instant at) {
      Map<String, LineAnswer> decided = new LinkedHashMap<>(stockAnswers);
      decided.put(productId, answer);
      return new State(
          status,
          draft,
          total,
          Map.copyOf(decided),
          payment,
          null,
          cartNotified,
          shipment,
          placedAt,
          at);
    }

    State moved(Status next, Cancellation why, Instant at) {
      return new State(
          next, draft, total, stockAnswers, payment, why, cartNotified, shipment, placedAt, at);
    }

    State charged(Payment p) {
      return new State(
          Status.PAID,
          draft,
          total,
          stockAnswers,
          p,
          null,
          cartNotified,
          shipment,
          placedAt,
          p.at());
    }

    State declined(Payment p) {
      return new State(
          Status.CANCELING,
          draft,
          total,
          stockAnswers,
          p,
          new Cancellation(CancelCause.PAYMENT_DECLINED, "payment declined: " + p.declineReason()),
          cartNotified,
          shipment,
          placedAt,
          p.at());
    }

    State ended(Status end, Instant at) {
      return new State(
          end,
          draft,
          total,
          stockAnswers,
          payment,
          cancellation,
          cartNotified,
          shipment,
          placedAt,
          at);
    }

    State withCartNotified() {
      return new State(
          status,
          draft,
          total,
          stockAnswers,
          payment,
          cancellation,
          true,
          shipment,
          placedAt,
          updatedAt);
    }

    /** updatedAt stays the last change of status: the shipment has its own time. */
    State shipped(Shipment shipped) {
      return new State(
          status,
          draft,
          total,
          stockAnswers,
          payment,
          cancellation,
          cartNotified,
          shipped,
          placedAt,
          updatedAt);
    }

    /** Completed and not yet handed to the carrier. */
    boolean awaitsShipment() {
      return status == Status.COMPLETED && shipment == null;
    }

    /** The reason in words, or null while the order is not being canceled. */
    String cancelReason() {
      return cancellation == null ? null : cancellation.reason();
    }

    OrderView view() {
      return new OrderView(
          draft.orderId(),
          draft.cartId(),
          draft.userId(),
          draft.region(),
          status.label(),
          draft.lines(),
          total,
          draft.paymentMethod(),
          payment,
          cancelReason(),
          cancellation == null ? null : cancellation.cause(),
          shipment,
          placedAt,
          updatedAt);
    }
  }

  // ---- behaviour

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(
      ActorSystem<?> system,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      Carrier carrier,
      OrderOutcomeListener listener) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    ctx ->
                        create(
                            ctx.getEntityId(),
                            settings,
                            stock,
                            gateway,
                            carrier,
                            listener,
                            ctx.getShard()))
                .withRole(EntityDefaults.NODE_ROLE));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String orderId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, orderId);
  }

  /** An order outside Cluster Sharding (entity tests): it never passivates itself. */
  public static Behavior<Command> create(
      String orderId,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      Carrier carrier,
      OrderOutcomeListener listener) {
    return create(orderId, settings, stock, gateway, carrier, listener, null);
  }

  private static Behavior<Command> create(
      String orderId,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      Carrier carrier,
      OrderOutcomeListener listener,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers ->
                    new Order(
                        orderId, settings, stock, gateway, carrier, listener, ctx, timers, shard)));
  }

  /** The one retry timer: a new retry replaces any still pending. */
  private static final String RETRY_TIMER = "retry-step";

  /** Beyond this many waiters the oldest is answered with the order as it is. */
  private static final int MAX_END_WAITERS = 100;

  private final String orderId;
  private final OrderSettings settings;
  private final StockReservations stock;
  private final PaymentGateway gateway;
  private final Carrier carrier;
  private final OrderOutcomeListener listener;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EndedPassivation<Command> passivation;
  private final OrderMetrics metrics;

  /**
   * Who waits for the end (AwaitEnd); not state: a waiter's ask times out on its own, and one lost
   * with the node asks again.
   */
  private final List<ActorRef<Reply<OrderView>>> endWaiters = new ArrayList<>();

  private Order(
      String orderId,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      Carrier carrier,
      OrderOutcomeListener listener,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), orderId));
    this.orderId = orderId;
    this.settings = settings;
    this.stock = stock;
    this.gateway = gateway;
    this.carrier = carrier;
    this.listener = listener;
    this.context = context;
    this.timers = timers;
    this.passivation =
        new EndedPassivation<>(settings.endedIdle(), context, shard, IdleAfterEnd.INSTANCE);
    this.metrics = new OrderMetrics(NodeMetrics.get(context.getSystem()).registry());
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::proceed).build();
  }

  /**
   * One block per status, with the commands it accepts. Every placed order answers Place (again)
   * and Get; AwaitEnd waits until the end, and is answered at once from then on. Each status that
   * runs a step accepts that step's answer and its retry.
   */
  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(is(Status.NEW))
        .onCommand(Place.class, this::onPlace)
        // An order never placed leaves memory at once: reads of made-up ids must not fill it.
        .onCommand(Get.class, (state, cmd) -> unknown(cmd.replyTo()))
        .onCommand(AwaitEnd.class, (state, cmd) -> unknown(cmd.replyTo()));
    builder
        .forState(is(Status.PLACED))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::waitForEnd)
        .onCommand(ReservationAnswered.class, this::onReservationAnswered)
        .onCommand(RetryStep.class, this::onRetryStep);
    builder
        .forState(is(Status.STOCK_RESERVED))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::waitForEnd)
        .onCommand(ChargeAnswered.class, this::onChargeAnswered)
        .onCommand(RetryStep.class, this::onRetryStep);
    builder
        .forState(is(Status.PAID))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::waitForEnd)
        .onCommand(LinesSettled.class, this::onLinesCommitted)
        .onCommand(RetryStep.class, this::onRetryStep);
    builder
        .forState(is(Status.CANCELING))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::waitForEnd)
        .onCommand(LinesSettled.class, this::onLinesReleased)
        .onCommand(RetryStep.class, this::onRetryStep);
    builder
        .forState(is(Status.COMPLETED))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::answerEnded)
        .onCommand(CartAnswered.class, this::onCartAnswered)
        .onCommand(ShipmentAnswered.class, this::onShipmentAnswered)
        .onCommand(RetryStep.class, this::onRetryStep)
        .onCommand(IdleAfterEnd.class, this::onIdleAfterEnd);
    builder
        .forState(is(Status.CANCELED))
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, this::onGet)
        .onCommand(AwaitEnd.class, this::answerEnded)
        .onCommand(CartAnswered.class, this::onCartAnswered)
        .onCommand(RetryStep.class, this::onRetryStep)
        .onCommand(IdleAfterEnd.class, this::onIdleAfterEnd);
    // The answer of a step the order has moved past: after a failed write restarts the entity (the
    // same actor), the steps of the incarnation before still answer. The step they answer is over.
    builder.forAnyState().onCommand(StepAnswer.class, (state, stale) -> Effect().noReply());
    return builder.build();
  }

  private static Predicate<State> is(Status status) {
    return state -> state.status() == status;
  }

  private ReplyEffect<Event, State> onGet(State state, Get cmd) {
    return Effect().reply(cmd.replyTo(), Reply.accepted(state.view()));
  }

  /** The order has ended: nothing to wait for. */
  private ReplyEffect<Event, State> answerEnded(State state, AwaitEnd cmd) {
    return Effect().reply(cmd.replyTo(), Reply.accepted(state.view()));
  }

  private ReplyEffect<Event, State> unknown(ActorRef<Reply<OrderView>> replyTo) {
    return Effect()
        .none()
        .thenRun(s -> passivation.passivate())
        .thenReply(
            replyTo,
            s -> Reply.rejected(Rejection.notFound("order " + orderId + " does not exist")));
  }

  private ReplyEffect<Event, State> waitForEnd(State state, AwaitEnd cmd) {
    if (endWaiters.size() == MAX_END_WAITERS) {
      endWaiters.remove(0).tell(Reply.accepted(state.view()));
    }
    endWaiters.add(cmd.replyTo());
    return Effect().noReply();
  }

  private void answerEndWaiters(State ended) {
    endWaiters.forEach(waiter -> waiter.tell(Reply.accepted(ended.view())));
    endWaiters.clear();
  }

  private ReplyEffect<Event, State> onIdleAfterEnd(State state, IdleAfterEnd idle) {
    passivation.passivate();
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onPlace(State state, Place cmd) {
    OrderDraft draft = cmd.draft();
    String invalid = invalidReason(draft);
    if (invalid != null) {
      return Effect().reply(cmd.replyTo(), Reply.rejected(Rejection.invalid(invalid)));
    }
    return Effect()
        .persist(new OrderPlaced(draft, draft.total(), Instant.now()))
        .thenRun(placed -> metrics.checkedOut())
        .thenRun(this::proceed)
        .thenReply(cmd.replyTo(), placed -> Reply.accepted(placed.view()));
  }

  private String invalidReason(OrderDraft draft) {
    if (!orderId.equals(draft.orderId())) {
      return "order id " + draft.orderId() + " does not match entity " + orderId;
    }
    if (draft.lines() == null || draft.lines().isEmpty()) {
      return "an order needs at least one line";
    }
    if (draft.lines().stream().anyMatch(l -> l.quantity() <= 0)) {
      return "every line needs a positive quantity";
    }
    if (new HashSet<>(draft.lines().stream().map(OrderLine::productId).toList()).size()
        != draft.lines().size()) {
      return "a product may appear on one line only";
    }
    if (!PaymentMethods.isSupported(draft.paymentMethod())) {
      return "unsupported payment method: " + draft.paymentMethod();
    }
    return null;
  }

  private ReplyEffect<Event, State> onPlaceAgain(State state, Place cmd) {
    if (state.draft().equals(cmd.draft())) {
      return Effect().reply(cmd.replyTo(), Reply.accepted(state.view()));
    }
    return Effect()
        .reply(
            cmd.replyTo(),
            Reply.rejected(
                Rejection.conflict("order " + orderId + " was placed with other content")));
  }

  /**
   * Every line answered, and the payment when all were reserved: the outcomes are written in one
   * go, ending with the transition they cause.
   */
  private ReplyEffect<Event, State> onReservationAnswered(State state, ReservationAnswered answer) {
    if (answer.error() != null) {
      return failed(answer);
    }
    Reservation reservation = answer.reservation();
    if (reservation.allReserved()) {
      // Every line reserved says it all: no event per line.
      return Effect()
          .persist(
              List.of(
                  new AllLinesReserved(reservation.at()), paymentOutcome(reservation.payment())))
          .thenRun(this::proceed)
          .thenNoReply();
    }
    // Which lines were refused and which held stock that is now released.
    List<Event> events = new ArrayList<>();
    String firstRefusal = null;
    for (Map.Entry<String, Reply<ProductStock.Reserved>> line : reservation.lines().entrySet()) {
      if (line.getValue() instanceof Reply.Rejected<ProductStock.Reserved> refused) {
        String reason = "product " + line.getKey() + " " + refused.rejection().reason();
        events.add(new LineRefused(line.getKey(), reason, reservation.at()));
        firstRefusal = firstRefusal == null ? reason : firstRefusal;
      } else {
        events.add(new LineReserved(line.getKey(), reservation.at()));
      }
    }
    events.add(new CancellationStarted(CancelCause.OUT_OF_STOCK, firstRefusal, reservation.at()));
    return Effect().persist(events).thenRun(this::proceed).thenNoReply();
  }

  /** Reserved and written by an earlier version of the order, which charged as its own step. */
  private ReplyEffect<Event, State> onChargeAnswered(State state, ChargeAnswered answer) {
    if (answer.error() != null) {
      return failed(answer);
    }
    return Effect().persist(paymentOutcome(answer.payment())).thenRun(this::proceed).thenNoReply();
  }

  /**
   * A reservation or a charge failed: retried later, unless no retry can change it. Then the order
   * is canceled; releasing is idempotent per line, so lines that were never reserved are skipped.
   */
  private ReplyEffect<Event, State> failed(StepAnswer answer) {
    if (!neverSucceeds(answer.error())) {
      return retryLater(answer);
    }
    return Effect()
        .persist(
            new CancellationStarted(
                CancelCause.STEP_FAILED,
                "the order could not be processed: "
                    + Failures.unwrapped(answer.error()).getMessage(),
                Instant.now()))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  /**
   * The database refused the data itself (a constraint or a value out of range): asking again sends
   * the same data and is refused again. Everything else (timeouts, lost connections, a database
   * away) may pass on a retry.
   */
  private static boolean neverSucceeds(Throwable error) {
    return Failures.unwrapped(error) instanceof R2dbcDataIntegrityViolationException;
  }

  private static Event paymentOutcome(Payment payment) {
    return payment.completed() ? new PaymentCharged(payment) : new PaymentDeclined(payment);
  }

  private ReplyEffect<Event, State> onLinesCommitted(State state, LinesSettled answer) {
    return end(answer, OrderCompleted::new);
  }

  private ReplyEffect<Event, State> onLinesReleased(State state, LinesSettled answer) {
    return end(answer, at -> new OrderCanceled(state.cancelReason(), at));
  }

  /**
   * The reservations are committed (or released): the order ends, and when the cart has heard it,
   * that is written with the end.
   */
  private ReplyEffect<Event, State> end(LinesSettled answer, Function<Instant, Event> end) {
    if (answer.error() != null) {
      return retryLater(answer);
    }
    Instant now = Instant.now();
    List<Event> events;
    if (answer.cartError() == null) {
      events = List.of(end.apply(now), new CartNotified(now));
    } else {
      context
          .getLog()
          .warn(
              "Order {} ended; telling its cart failed, retrying: {}",
              orderId,
              answer.cartError().toString());
      events = List.of(end.apply(now));
    }
    return Effect()
        .persist(events)
        .thenRun(metrics::ended)
        .thenRun(this::answerEndWaiters)
        .thenRun(this::proceed)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onCartAnswered(State state, CartAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer);
    }
    if (state.cartNotified()) {
      return Effect().noReply();
    }
    return Effect().persist(new CartNotified(Instant.now())).thenRun(this::proceed).thenNoReply();
  }

  /** The carrier answered: its tracking number is written once, whatever arrives after it. */
  private ReplyEffect<Event, State> onShipmentAnswered(State state, ShipmentAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer);
    }
    if (!state.awaitsShipment()) {
      return Effect().noReply();
    }
    Shipment shipment = answer.shipment();
    return Effect()
        .persist(
            new OrderShipped(
                orderId,
                state.draft().userId(),
                shipment.carrier(),
                shipment.trackingNumber(),
                shipment.shippedAt()))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> retryLater(StepAnswer failed) {
    int failures = failed.failures() + 1;
    Duration delay = settings.backoff(failures);
    context
        .getLog()
        .warn(
            "Order {} step failed (attempt {}), retrying in {} ms: {}",
            orderId,
            failures,
            delay.toMillis(),
            failed.error().toString());
    timers.startSingleTimer(RETRY_TIMER, new RetryStep(failures), delay);
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onRetryStep(State state, RetryStep retry) {
    proceed(state, retry.failures());
    return Effect().noReply();
  }

  /** Starts the step the state is waiting for afresh: after each transition and on recovery. */
  private void proceed(State state) {
    proceed(state, 0);
  }

  /** Starts the step the state is waiting for; its answer carries the failures before it. */
  private void proceed(State state, int failures) {
    switch (state.status()) {
      case NEW -> {}
      case PLACED -> reserveAndCharge(state, failures);
      case STOCK_RESERVED ->
          context.pipeToSelf(
              charge(state), (payment, error) -> new ChargeAnswered(payment, error, failures));
      case PAID -> settleLines(state, stock::commit, true, failures);
      case CANCELING -> settleLines(state, stock::release, false, failures);
      case COMPLETED, CANCELED -> afterEnd(state, failures);
    }
  }

  /** An ended order tells its cart, then a completed one ships; with both done it may idle out. */
  private void afterEnd(State state, int failures) {
    if (!state.cartNotified()) {
      context.pipeToSelf(
          withTimeout(tellCart(state, state.status() == Status.COMPLETED)),
          (ok, error) -> new CartAnswered(error, failures));
    } else if (state.awaitsShipment()) {
      context.pipeToSelf(
          withTimeout(carrier.ship(orderId)),
          (shipment, error) -> new ShipmentAnswered(shipment, error, failures));
    } else {
      passivation.whenIdle();
    }
  }

  /** Every line's answer from its stock, when they came, and the payment if all were reserved. */
  private record Reservation(
      Map<String, Reply<ProductStock.Reserved>> lines, Instant at, Payment payment) {
    boolean allReserved() {
      return lines.values().stream().allMatch(Reply.Accepted.class::isInstance);
    }
  }

  /**
   * Reserves every line, then charges when all were reserved. Both are idempotent per order, so
   * after a crash before their outcome is written they are simply asked again.
   */
  private void reserveAndCharge(State state, int failures) {
    List<OrderLine> lines = state.draft().lines();
    List<CompletableFuture<Reply<ProductStock.Reserved>>> calls =
        lines.stream()
            .map(
                line ->
                    withTimeout(
                            stock.reserve(
                                line.productId(), orderId, line.quantity(), state.draft().region()))
                        .toCompletableFuture())
            .toList();
    CompletionStage<Reservation> reservation =
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
            .thenCompose(
                allAnswered -> {
                  Map<String, Reply<ProductStock.Reserved>> outcomes = new LinkedHashMap<>();
                  for (int i = 0; i < lines.size(); i++) {
                    outcomes.put(lines.get(i).productId(), calls.get(i).join());
                  }
                  Instant reservedAt = Instant.now();
                  Reservation answered = new Reservation(outcomes, reservedAt, null);
                  if (!answered.allReserved()) {
                    return CompletableFuture.completedFuture(answered);
                  }
                  return charge(state)
                      .thenApply(payment -> new Reservation(outcomes, reservedAt, payment));
                });
    context.pipeToSelf(
        reservation, (reserved, error) -> new ReservationAnswered(reserved, error, failures));
  }

  private CompletionStage<Payment> charge(State state) {
    return withTimeout(gateway.charge(orderId, state.total(), state.draft().paymentMethod()));
  }

  private interface LineStep {
    CompletionStage<Done> apply(String productId, String orderId);
  }

  /**
   * Commits or releases every line (idempotent per line, so every line is asked again on a retry),
   * then tells the cart how the order ended.
   */
  private void settleLines(State state, LineStep step, boolean completed, int failures) {
    CompletableFuture<?>[] calls =
        state.draft().lines().stream()
            .map(line -> withTimeout(step.apply(line.productId(), orderId)).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    CompletionStage<Throwable> cartTold =
        CompletableFuture.allOf(calls)
            .thenCompose(
                settled ->
                    withTimeout(tellCart(state, completed)).handle((ok, cartError) -> cartError));
    context.pipeToSelf(
        cartTold, (cartError, error) -> new LinesSettled(cartError, error, failures));
  }

  private CompletionStage<Done> tellCart(State state, boolean completed) {
    return listener.orderEnded(state.draft().cartId(), orderId, completed, state.cancelReason());
  }

  private <T> CompletionStage<T> withTimeout(CompletionStage<T> call) {
    return call.toCompletableFuture()
        .orTimeout(settings.stepTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(OrderPlaced.class, (state, e) -> state.placed(e))
        .onEvent(
            LineReserved.class,
            (state, e) -> state.lineDecided(e.productId(), new LineAnswer(true, null), e.at()))
        .onEvent(
            LineRefused.class,
            (state, e) ->
                state.lineDecided(e.productId(), new LineAnswer(false, e.reason()), e.at()))
        .onEvent(
            AllLinesReserved.class, (state, e) -> state.moved(Status.STOCK_RESERVED, null, e.at()))
        .onEvent(
            CancellationStarted.class,
            (state, e) ->
                state.moved(Status.CANCELING, new Cancellation(e.cause(), e.reason()), e.at()))
        .onEvent(PaymentCharged.class, (state, e) -> state.charged(e.payment()))
        .onEvent(PaymentDeclined.class, (state, e) -> state.declined(e.payment()))
        .onEvent(OrderCompleted.class, (state, e) -> state.ended(Status.COMPLETED, e.at()))
        .onEvent(OrderCanceled.class, (state, e) -> state.ended(Status.CANCELED, e.at()))
        .onEvent(CartNotified.class, (state, e) -> state.withCartNotified())
        .onEvent(
            OrderShipped.class,
            (state, e) -> state.shipped(new Shipment(e.carrier(), e.trackingNumber(), e.at())))
        .build();
  }
}
