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
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import common.CborSerializable;
import common.EntityDefaults;
import common.Rejection;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One order: the checkout process as a durable state machine. placed → every line reserved →
 * payment charged → reservations committed → completed; a refused line or a declined payment
 * releases what was reserved and ends canceled with the reason. Every step's outcome is an event,
 * so after a crash the order resumes from its last step on whichever node now hosts it; every step
 * it repeats is idempotent on the other side.
 */
public final class Order
    extends EventSourcedBehaviorWithEnforcedReplies<Order.Command, Order.Event, Order.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "Order");

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Starts the order; the same draft again is acknowledged without a second order. */
  public record Place(OrderDraft draft, ActorRef<Reply> replyTo) implements Command {}

  public record Get(ActorRef<Reply> replyTo) implements Command {}

  /** Step results, sent by the order to itself; never leave the node. */
  private record StockAnswered(String productId, StockReservations.Outcome outcome, Throwable error)
      implements Command {}

  private record PaymentAnswered(Payment payment, Throwable error) implements Command {}

  private record CommitsAnswered(Throwable error) implements Command {}

  private record ReleasesAnswered(Throwable error) implements Command {}

  private record CartAnswered(Throwable error) implements Command {}

  private enum RetryStep implements Command {
    INSTANCE
  }

  // ---- replies

  public sealed interface Reply extends CborSerializable {}

  public record Rejected(Rejection rejection) implements Reply {}

  /** What the API shows of an order. */
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
      Instant placedAt,
      Instant updatedAt)
      implements Reply {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record OrderPlaced(OrderDraft draft, BigDecimal total, Instant at) implements Event {}

  public record LineReserved(String productId, Instant at) implements Event {}

  public record LineRefused(String productId, String reason, Instant at) implements Event {}

  /** Every line is reserved: the order goes on to payment. */
  public record StockReserved(Instant at) implements Event {}

  /** The order will not complete; what was reserved is being released. */
  public record CancellationStarted(String reason, Instant at) implements Event {}

  public record PaymentCharged(Payment payment) implements Event {}

  public record PaymentDeclined(Payment payment) implements Event {}

  public record OrderCompleted(Instant at) implements Event {}

  public record OrderCanceled(String reason, Instant at) implements Event {}

  public record CartNotified(Instant at) implements Event {}

  // ---- state

  public enum Status {
    /** Not placed yet. */
    NEW,
    /** Placed; reserving every line. */
    PLACED,
    /** Every line reserved; charging. */
    STOCK_RESERVED,
    /** Charged; committing the reservations. */
    PAID,
    COMPLETED,
    /** A line was refused or the payment declined; releasing what was reserved. */
    CANCELING,
    CANCELED;

    boolean ended() {
      return this == COMPLETED || this == CANCELED;
    }

    String label() {
      return name().toLowerCase();
    }
  }

  /** A line's answer from its product's stock. */
  public record LineAnswer(boolean reserved, String refusal) implements CborSerializable {}

  public record State(
      Status status,
      OrderDraft draft,
      BigDecimal total,
      Map<String, LineAnswer> stockAnswers,
      Payment payment,
      String cancelReason,
      boolean cartNotified,
      Instant placedAt,
      Instant updatedAt)
      implements CborSerializable {

    static final State EMPTY =
        new State(Status.NEW, null, null, Map.of(), null, null, false, null, null);

    State placed(OrderPlaced e) {
      return new State(
          Status.PLACED, e.draft(), e.total(), Map.of(), null, null, false, e.at(), e.at());
    }

    /** Records one line's answer; the status moves with its own event once all have answered. */
    State lineDecided(String productId, LineAnswer answer, Instant at) {
      Map<String, LineAnswer> decided = new LinkedHashMap<>(stockAnswers);
      decided.put(productId, answer);
      return new State(
          status, draft, total, Map.copyOf(decided), payment, null, cartNotified, placedAt, at);
    }

    boolean allLinesDecidedWith(String productId) {
      return stockAnswers.size() + (stockAnswers.containsKey(productId) ? 0 : 1)
          == draft.lines().size();
    }

    List<String> refusals() {
      return stockAnswers.values().stream()
          .filter(a -> !a.reserved())
          .map(LineAnswer::refusal)
          .toList();
    }

    State moved(Status next, String reason, Instant at) {
      return new State(
          next, draft, total, stockAnswers, payment, reason, cartNotified, placedAt, at);
    }

    State charged(Payment p) {
      return new State(
          Status.PAID, draft, total, stockAnswers, p, null, cartNotified, placedAt, p.at());
    }

    State declined(Payment p) {
      return new State(
          Status.CANCELING,
          draft,
          total,
          stockAnswers,
          p,
          "payment declined: " + p.declineReason(),
          cartNotified,
          placedAt,
          p.at());
    }

    State ended(Status end, Instant at) {
      return new State(
          end, draft, total, stockAnswers, payment, cancelReason, cartNotified, placedAt, at);
    }

    State withCartNotified() {
      return new State(
          status, draft, total, stockAnswers, payment, cancelReason, true, placedAt, updatedAt);
    }

    List<OrderLine> linesAwaitingStock() {
      return draft.lines().stream().filter(l -> !stockAnswers.containsKey(l.productId())).toList();
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
          cancelReason,
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
      OrderOutcomeListener listener) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY,
                    ctx -> create(ctx.getEntityId(), settings, stock, gateway, listener))
                .withRole(EntityDefaults.NODE_ROLE));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String orderId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, orderId);
  }

  public static Behavior<Command> create(
      String orderId,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      OrderOutcomeListener listener) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new Order(orderId, settings, stock, gateway, listener, ctx, timers)));
  }

  private final String orderId;
  private final OrderSettings settings;
  private final StockReservations stock;
  private final PaymentGateway gateway;
  private final OrderOutcomeListener listener;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  /** Consecutive failed attempts of the current step; resets when a step succeeds. */
  private int failedAttempts;

  private Order(
      String orderId,
      OrderSettings settings,
      StockReservations stock,
      PaymentGateway gateway,
      OrderOutcomeListener listener,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_KEY.name(), orderId), EntityDefaults.ON_PERSIST_FAILURE);
    this.orderId = orderId;
    this.settings = settings;
    this.stock = stock;
    this.gateway = gateway;
    this.listener = listener;
    this.context = context;
    this.timers = timers;
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return EntityDefaults.RETENTION;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::proceed).build();
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    var builder = newCommandHandlerWithReplyBuilder();
    builder
        .forState(state -> state.status() == Status.NEW)
        .onCommand(Place.class, this::onPlace)
        .onCommand(
            Get.class,
            (state, cmd) ->
                Effect()
                    .reply(
                        cmd.replyTo(),
                        new Rejected(Rejection.notFound("order " + orderId + " does not exist"))));
    builder
        .forAnyState()
        .onCommand(Place.class, this::onPlaceAgain)
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.view()))
        .onCommand(StockAnswered.class, this::onStockAnswered)
        .onCommand(PaymentAnswered.class, this::onPaymentAnswered)
        .onCommand(CommitsAnswered.class, this::onCommitsAnswered)
        .onCommand(ReleasesAnswered.class, this::onReleasesAnswered)
        .onCommand(CartAnswered.class, this::onCartAnswered)
        .onCommand(
            RetryStep.class,
            (state, cmd) -> {
              proceed(state);
              return Effect().noReply();
            });
    return builder.build();
  }

  private ReplyEffect<Event, State> onPlace(State state, Place cmd) {
    OrderDraft draft = cmd.draft();
    String invalid = invalidReason(draft);
    if (invalid != null) {
      return Effect().reply(cmd.replyTo(), new Rejected(Rejection.invalid(invalid)));
    }
    return Effect()
        .persist(new OrderPlaced(draft, draft.total(), Instant.now()))
        .thenRun(this::proceed)
        .thenReply(cmd.replyTo(), State::view);
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
      return Effect().reply(cmd.replyTo(), state.view());
    }
    return Effect()
        .reply(
            cmd.replyTo(),
            new Rejected(
                Rejection.conflict("order " + orderId + " was placed with other content")));
  }

  private ReplyEffect<Event, State> onStockAnswered(State state, StockAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer.error());
    }
    failedAttempts = 0;
    if (state.status() != Status.PLACED || state.stockAnswers().containsKey(answer.productId())) {
      return Effect().noReply();
    }
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>();
    events.add(
        answer.outcome().reserved()
            ? new LineReserved(answer.productId(), now)
            : new LineRefused(
                answer.productId(),
                "product " + answer.productId() + " " + answer.outcome().refusal(),
                now));
    if (state.allLinesDecidedWith(answer.productId())) {
      // The last answer and the transition it causes are written together, atomically.
      events.add(transitionAfterLastLine(state, events.get(0), now));
    }
    return Effect().persist(events).thenRun(this::proceedIfMovedOn).thenNoReply();
  }

  private static Event transitionAfterLastLine(State state, Event lastLine, Instant now) {
    List<String> refusals = new ArrayList<>(state.refusals());
    if (lastLine instanceof LineRefused refused) {
      refusals.add(refused.reason());
    }
    return refusals.isEmpty()
        ? new StockReserved(now)
        : new CancellationStarted(refusals.get(0), now);
  }

  private ReplyEffect<Event, State> onPaymentAnswered(State state, PaymentAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer.error());
    }
    failedAttempts = 0;
    if (state.status() != Status.STOCK_RESERVED) {
      return Effect().noReply();
    }
    Event event =
        answer.payment().completed()
            ? new PaymentCharged(answer.payment())
            : new PaymentDeclined(answer.payment());
    return Effect().persist(event).thenRun(this::proceed).thenNoReply();
  }

  private ReplyEffect<Event, State> onCommitsAnswered(State state, CommitsAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer.error());
    }
    failedAttempts = 0;
    if (state.status() != Status.PAID) {
      return Effect().noReply();
    }
    return Effect().persist(new OrderCompleted(Instant.now())).thenRun(this::proceed).thenNoReply();
  }

  private ReplyEffect<Event, State> onReleasesAnswered(State state, ReleasesAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer.error());
    }
    failedAttempts = 0;
    if (state.status() != Status.CANCELING) {
      return Effect().noReply();
    }
    return Effect()
        .persist(new OrderCanceled(state.cancelReason(), Instant.now()))
        .thenRun(this::proceed)
        .thenNoReply();
  }

  private ReplyEffect<Event, State> onCartAnswered(State state, CartAnswered answer) {
    if (answer.error() != null) {
      return retryLater(answer.error());
    }
    failedAttempts = 0;
    if (state.cartNotified()) {
      return Effect().noReply();
    }
    return Effect().persist(new CartNotified(Instant.now())).thenNoReply();
  }

  private ReplyEffect<Event, State> retryLater(Throwable error) {
    failedAttempts++;
    Duration delay = settings.backoff(failedAttempts);
    context
        .getLog()
        .warn(
            "Order {} step failed (attempt {}), retrying in {} ms: {}",
            orderId,
            failedAttempts,
            delay.toMillis(),
            error.toString());
    timers.startSingleTimer(RetryStep.INSTANCE, delay);
    return Effect().noReply();
  }

  private void proceedIfMovedOn(State state) {
    if (state.status() != Status.PLACED) {
      proceed(state);
    }
  }

  /** Starts the step the state is waiting for. Called after each transition and on recovery. */
  private void proceed(State state) {
    switch (state.status()) {
      case NEW -> {}
      case PLACED -> reserveAwaitingLines(state);
      case STOCK_RESERVED -> charge(state);
      case PAID -> forEveryLine(state, stock::commit, CommitsAnswered::new);
      case CANCELING -> forEveryLine(state, stock::release, ReleasesAnswered::new);
      case COMPLETED, CANCELED -> notifyCart(state);
    }
  }

  private void reserveAwaitingLines(State state) {
    for (OrderLine line : state.linesAwaitingStock()) {
      context.pipeToSelf(
          withTimeout(
              stock.reserve(line.productId(), orderId, line.quantity(), state.draft().region())),
          (outcome, error) -> new StockAnswered(line.productId(), outcome, error));
    }
  }

  private void charge(State state) {
    context.pipeToSelf(
        withTimeout(gateway.charge(orderId, state.total(), state.draft().paymentMethod())),
        PaymentAnswered::new);
  }

  private interface LineStep {
    CompletionStage<Done> apply(String productId, String orderId);
  }

  private interface StepAnswer {
    Command of(Throwable error);
  }

  /** Commit or release: idempotent per line, so every line is asked again on a retry. */
  private void forEveryLine(State state, LineStep step, StepAnswer answer) {
    CompletableFuture<?>[] calls =
        state.draft().lines().stream()
            .map(line -> withTimeout(step.apply(line.productId(), orderId)).toCompletableFuture())
            .toArray(CompletableFuture[]::new);
    context.pipeToSelf(CompletableFuture.allOf(calls), (ok, error) -> answer.of(error));
  }

  private void notifyCart(State state) {
    if (state.cartNotified()) {
      return;
    }
    context.pipeToSelf(
        withTimeout(
            listener.orderEnded(
                state.draft().cartId(),
                orderId,
                state.status() == Status.COMPLETED,
                state.cancelReason())),
        (ok, error) -> new CartAnswered(error));
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
            StockReserved.class, (state, e) -> state.moved(Status.STOCK_RESERVED, null, e.at()))
        .onEvent(
            CancellationStarted.class,
            (state, e) -> state.moved(Status.CANCELING, e.reason(), e.at()))
        .onEvent(PaymentCharged.class, (state, e) -> state.charged(e.payment()))
        .onEvent(PaymentDeclined.class, (state, e) -> state.declined(e.payment()))
        .onEvent(OrderCompleted.class, (state, e) -> state.ended(Status.COMPLETED, e.at()))
        .onEvent(OrderCanceled.class, (state, e) -> state.ended(Status.CANCELED, e.at()))
        .onEvent(CartNotified.class, (state, e) -> state.withCartNotified())
        .build();
  }
}
