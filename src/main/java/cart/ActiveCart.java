package cart;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
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
import common.Failures;
import common.Rejection;
import common.Reply;
import common.RequestKey;
import java.time.Instant;
import java.util.List;

/**
 * Which cart is a user's active one, one entity per user: the single place that decides it, so that
 * two opens at once end with one cart whatever the read side knows yet. A new cart is recorded here
 * before it is opened; that it has ended (checked out, canceled, expired) is learnt by asking it
 * when that next matters, so ending a cart sends nothing here, and a cart recorded but never opened
 * (a crash between the two writes, or an open the cart refused) is passed over. Commands are taken
 * one at a time: those arriving while a cart's answer is awaited are stashed.
 *
 * <pre>
 * no cart     Open   CartChosen, then the cart is opened           -> cart recorded
 *             Get    (none: no active cart)
 * recorded    Open   its own repeat: (none) the cart answers it
 *                    else the cart is asked: active, answered;
 *                    ended or never opened: CartChosen, as above   -> another cart recorded
 *             Get    the cart is asked: active, answered;
 *                    ended or never opened: CartEnded              -> no cart
 * </pre>
 */
public final class ActiveCart
    extends EventSourcedBehaviorWithEnforcedReplies<
        ActiveCart.Command, ActiveCart.Event, ActiveCart.State> {

  /**
   * A user opens a cart per visit: a frequent shopper recovers from a snapshot and a few events.
   */
  static final int SNAPSHOT_EVERY = 100;

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ActiveCart");

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /**
   * Opens a cart for the user unless one is active. The new cart gets this id (from the
   * Idempotency-Key, if there is one: see CartRoutes) and opens with this region and these lines.
   */
  public record Open(
      String cartId,
      String region,
      List<ShoppingCart.NewLine> lines,
      RequestKey requestKey,
      ActorRef<Reply<Opened>> replyTo)
      implements Command {}

  /** The user's active cart. */
  public record Get(ActorRef<Reply<ShoppingCart.CartView>> replyTo) implements Command {}

  /** How the recorded cart is (its view, or why there is none), for the command that waited. */
  private record Checked(Command waiting, ShoppingCart.CartView cart, Throwable error)
      implements Command {}

  /** How a cart answered being opened. */
  private record OpenAnswered(Open open, ShoppingCart.CartView cart, Throwable error)
      implements Command {}

  // ---- what an accepted Open answers (in a common.Reply)

  /**
   * The user's active cart, and whether this request opened it (or repeats, under its
   * Idempotency-Key, the one that did) rather than finding it open.
   */
  public record Opened(ShoppingCart.CartView cart, boolean byThisRequest)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  /** The cart is the user's active one from now on; written before the cart is opened. */
  public record CartChosen(String cartId, Instant at) implements Event {}

  /** The recorded cart was found ended, or never opened: the user has no active cart. */
  public record CartEnded(String cartId, Instant at) implements Event {}

  // ---- state

  /** The recorded cart's id; null when there is none. */
  public record State(String cartId) implements CborSerializable {
    static final State NONE = new State(null);

    State apply(Event event) {
      return event instanceof CartChosen chosen ? new State(chosen.cartId()) : NONE;
    }
  }

  // ---- behaviour

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, Carts carts) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), carts))
                .withRole(EntityDefaults.NODE_ROLE));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String userId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, userId);
  }

  public static Behavior<Command> create(String userId, Carts carts) {
    return Behaviors.setup(ctx -> new ActiveCart(userId, carts, ctx));
  }

  private final String userId;
  private final Carts carts;
  private final ActorContext<Command> context;

  /**
   * Whether a cart's answer is awaited, so that the commands arriving meanwhile wait. Not state
   * (nothing is written while waiting) and known to no message, so a field: recovery clears it, as
   * after a restart nothing is awaited (Akka keeps this object across a restart after a failed
   * write).
   */
  private boolean awaiting;

  private ActiveCart(String userId, Carts carts, ActorContext<Command> context) {
    super(PersistenceId.of(ENTITY_KEY.name(), userId), EntityDefaults.ON_PERSIST_FAILURE);
    this.userId = userId;
    this.carts = carts;
    this.context = context;
  }

  @Override
  public State emptyState() {
    return State.NONE;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 1);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> awaiting = false)
        .build();
  }

  /** A cart's answer is taken whenever it comes (even after a restart); the rest wait for it. */
  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return (state, command) -> {
      if (command instanceof Checked c) {
        return onChecked(state, c);
      }
      if (command instanceof OpenAnswered c) {
        return onOpenAnswered(c);
      }
      if (awaiting) {
        return Effect().stash();
      }
      return state.cartId() == null ? noCart(command) : cartRecorded(state, command);
    };
  }

  /** No cart recorded: an Open records one and opens it. */
  private ReplyEffect<Event, State> noCart(Command command) {
    if (command instanceof Open open) {
      return choose(open);
    }
    if (command instanceof Get get) {
      return Effect().reply(get.replyTo(), noActiveCart());
    }
    return Effect().noReply();
  }

  /** A cart recorded: whether it is still the user's active one is asked before answering. */
  private ReplyEffect<Event, State> cartRecorded(State state, Command command) {
    if (command instanceof Open open && open.cartId().equals(state.cartId())) {
      // The request that chose this cart, repeated under its key: the cart answers it as the first
      // time (and opens now if it never was).
      askToOpen(open);
      return Effect().noReply();
    }
    if (command instanceof Open || command instanceof Get) {
      return check(state.cartId(), command);
    }
    return Effect().noReply();
  }

  /** Records the cart as the user's active one, then opens it. */
  private ReplyEffect<Event, State> choose(Open open) {
    awaiting = true;
    return Effect()
        .persist(new CartChosen(open.cartId(), Instant.now()))
        .thenRun(s -> askToOpen(open))
        .thenNoReply();
  }

  private void askToOpen(Open open) {
    awaiting = true;
    context.pipeToSelf(
        carts.open(open.cartId(), userId, open.region(), open.lines(), open.requestKey()),
        (cart, error) -> new OpenAnswered(open, cart, error));
  }

  private ReplyEffect<Event, State> onOpenAnswered(OpenAnswered answered) {
    awaiting = false;
    Open open = answered.open();
    Reply<Opened> reply;
    if (answered.cart() != null) {
      reply = Reply.accepted(new Opened(answered.cart(), true));
    } else if (Failures.unwrapped(answered.error())
        instanceof Rejection.RejectedException refused) {
      reply = Reply.rejected(refused.rejection());
    } else {
      reply = unanswered(open.cartId(), answered.error());
    }
    return Effect().reply(open.replyTo(), reply).thenUnstashAll();
  }

  /** Asks the recorded cart how it is; the command waits for the answer in {@link #onChecked}. */
  private ReplyEffect<Event, State> check(String cartId, Command waiting) {
    awaiting = true;
    context.pipeToSelf(carts.get(cartId), (cart, error) -> new Checked(waiting, cart, error));
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onChecked(State state, Checked checked) {
    awaiting = false;
    ShoppingCart.CartView cart = checked.cart();
    boolean active = cart != null && cart.status() == ShoppingCart.Status.ACTIVE;
    // Neither a view nor a "not found": the cart did not answer, and the user may still have it.
    boolean unknown = cart == null && !neverOpened(checked.error());
    if (checked.waiting() instanceof Open open) {
      if (active) {
        return Effect()
            .reply(open.replyTo(), Reply.accepted(new Opened(cart, false)))
            .thenUnstashAll();
      }
      if (unknown) {
        return Effect()
            .reply(open.replyTo(), unanswered(state.cartId(), checked.error()))
            .thenUnstashAll();
      }
      // The cart has ended, or was never opened: the new one takes its place.
      return choose(open);
    }
    Get get = (Get) checked.waiting();
    if (active) {
      return Effect().reply(get.replyTo(), Reply.accepted(cart)).thenUnstashAll();
    }
    if (unknown) {
      return Effect()
          .reply(get.replyTo(), unanswered(state.cartId(), checked.error()))
          .thenUnstashAll();
    }
    // Written once, so that the next reads need not ask an ended cart again.
    return Effect()
        .persist(new CartEnded(state.cartId(), Instant.now()))
        .thenReply(get.replyTo(), s -> noActiveCart())
        .thenUnstashAll();
  }

  private static boolean neverOpened(Throwable error) {
    return Failures.unwrapped(error) instanceof Rejection.RejectedException refused
        && refused.rejection().kind() == Rejection.Kind.NOT_FOUND;
  }

  private <T> Reply<T> noActiveCart() {
    return Reply.rejected(Rejection.notFound("user " + userId + " has no active cart"));
  }

  private <T> Reply<T> unanswered(String cartId, Throwable error) {
    context
        .getLog()
        .warn("Cart {} of user {} did not answer: {}", cartId, userId, String.valueOf(error));
    return Reply.rejected(
        Rejection.unavailable("cart " + cartId + " did not answer in time; retrying is safe"));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }
}
