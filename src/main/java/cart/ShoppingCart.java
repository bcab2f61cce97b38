package cart;

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
import akka.persistence.typed.javadsl.EffectBuilder;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import common.CborSerializable;
import common.EndedPassivation;
import common.EntityDefaults;
import common.Failures;
import common.Rejection;
import common.Reply;
import common.RequestKey;
import common.ShortLivedEntity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import order.OrderDraft;
import order.OrderLine;
import order.OrderPlacement;
import order.payment.PaymentMethods;

/**
 * One shopper's cart. A line's unit price is the product's price at the line's last change.
 * Checkout is idempotent: it always answers the same order id, and the order is placed again after
 * a crash until the Order entity acknowledges it. What each status accepts, writes and becomes:
 *
 * <pre>
 * new          Open                        CartOpened, ItemAdded per line     -> active
 * active       AddItem                     ItemAdded or ItemQuantityChanged
 *              ChangeQuantity              ItemQuantityChanged
 *              RemoveItem                  ItemRemoved
 *              Checkout                    CartCheckedOut                     -> checked_out
 *              Cancel                      CartCanceled                       -> canceled
 *              Expire, unchanged too long  CartCanceled                       -> canceled
 * checked_out  Checkout, RetryPlacement    (none: places the order again)
 *              OrderEnded for its order    CartCompleted                      -> inactive
 *                                          or CartCanceled                    -> canceled
 *              its order refused           CartCanceled                       -> canceled
 * inactive     (none: read only)
 * canceled     (none: read only)
 * </pre>
 *
 * <p>Every opened cart answers Get and Open with its view and refuses changes unless active. A
 * shopper's change under an Idempotency-Key writes RequestAccepted with its events.
 */
public final class ShoppingCart
    extends ShortLivedEntity<ShoppingCart.Command, ShoppingCart.Event, ShoppingCart.State> {

  /**
   * Request keys a cart remembers, the newest: enough for any client's retries of its recent
   * changes (a cart lives a day at most unchanged), and a bounded part of its memory.
   */
  static final int MAX_REQUEST_KEYS = 100;

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ShoppingCart");

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /**
   * What a shopper may ask of a cart, answered with a T: sent inside {@link ByShopper} from the
   * HTTP API.
   */
  public sealed interface ShopperCommand<T> extends Command {
    ActorRef<Reply<T>> replyTo();
  }

  /** A shopper's command answered with the cart's view: every one but {@link Checkout}. */
  public sealed interface AnsweredWithView extends ShopperCommand<CartView> {}

  /**
   * A shopper's command, carried out only when the cart is theirs (or, for Open, a new cart): to
   * anyone else the cart does not exist.
   */
  public record ByShopper(
      String userId,
      // Named types: the command crosses nodes when the cart lives on another one.
      @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
          @JsonSubTypes({
            @JsonSubTypes.Type(value = Open.class, name = "open"),
            @JsonSubTypes.Type(value = AddItem.class, name = "add-item"),
            @JsonSubTypes.Type(value = ChangeQuantity.class, name = "change-quantity"),
            @JsonSubTypes.Type(value = RemoveItem.class, name = "remove-item"),
            @JsonSubTypes.Type(value = Checkout.class, name = "checkout"),
            @JsonSubTypes.Type(value = Cancel.class, name = "cancel"),
            @JsonSubTypes.Type(value = Get.class, name = "get")
          })
          ShopperCommand<?> command,
      RequestKey requestKey)
      implements Command {

    /** Without an Idempotency-Key. */
    public ByShopper(String userId, ShopperCommand<?> command) {
      this(userId, command, null);
    }
  }

  /**
   * Opens the cart for a user, with its first lines if the shopper chose them already: a cart and
   * its first product are one write instead of two.
   */
  public record Open(
      String userId, String region, List<NewLine> lines, ActorRef<Reply<CartView>> replyTo)
      implements AnsweredWithView {}

  /** A line a cart is opened with, at the unit price the shopper saw. */
  public record NewLine(String productId, int quantity, BigDecimal unitPrice)
      implements CborSerializable {}

  /** Adds units of a product; a product already in the cart gets the units added to its line. */
  public record AddItem(
      String productId, int quantity, BigDecimal unitPrice, ActorRef<Reply<CartView>> replyTo)
      implements AnsweredWithView {}

  /** Sets a line's quantity; the line takes this unit price, the product's price now. */
  public record ChangeQuantity(
      String productId, int quantity, BigDecimal unitPrice, ActorRef<Reply<CartView>> replyTo)
      implements AnsweredWithView {}

  public record RemoveItem(String productId, ActorRef<Reply<CartView>> replyTo)
      implements AnsweredWithView {}

  /** Answered with the order's id once the order exists. */
  public record Checkout(String paymentMethod, ActorRef<Reply<CheckedOut>> replyTo)
      implements ShopperCommand<CheckedOut> {}

  /** The shopper gives the cart up. */
  public record Cancel(ActorRef<Reply<CartView>> replyTo) implements AnsweredWithView {}

  public record Get(ActorRef<Reply<CartView>> replyTo) implements AnsweredWithView {}

  /**
   * Cancels the cart if it is active and has not changed for the configured expiry; otherwise
   * changes nothing. Answers the cart's view either way.
   */
  public record Expire(ActorRef<Reply<CartView>> replyTo) implements Command {}

  /** The cart's order ended; sent by the order until acknowledged. */
  public record OrderEnded(
      String orderId, boolean completed, String reason, ActorRef<Reply<Acknowledgement>> replyTo)
      implements Command {}

  private record OrderPlacementAnswered(
      String orderId, ActorRef<Reply<CheckedOut>> replyTo, Throwable error) implements Command {}

  private enum RetryPlacement implements Command {
    INSTANCE
  }

  /** Nothing arrived for a while after the cart ended. */
  private enum IdleAfterEnd implements Command {
    INSTANCE
  }

  // ---- what accepted commands answer (in a common.Reply)

  public record CartView(
      String cartId,
      String userId,
      String region,
      Status status,
      List<LineView> items,
      BigDecimal total,
      String orderId,
      String cancelReason,
      Instant createdAt,
      Instant updatedAt)
      implements CborSerializable {}

  public record LineView(String productId, int quantity, BigDecimal unitPrice, BigDecimal amount)
      implements CborSerializable {}

  /** The order a checkout placed. */
  public record CheckedOut(String orderId) implements CborSerializable {}

  /** The cart heard how its order ended. */
  public enum Acknowledgement {
    ORDER_ENDED
  }

  // ---- events

  public sealed interface Event extends CborSerializable {}

  public record CartOpened(String userId, String region, Instant at) implements Event {}

  public record ItemAdded(String productId, int quantity, BigDecimal unitPrice, Instant at)
      implements Event {}

  public record ItemQuantityChanged(
      String productId, int oldQuantity, int newQuantity, BigDecimal unitPrice, Instant at)
      implements Event {}

  public record ItemRemoved(String productId, int oldQuantity, BigDecimal unitPrice, Instant at)
      implements Event {}

  /**
   * The cart was checked out: its order gets this id and payment method. Stored as {@code
   * CheckedOutEvent} before it had this name ({@link CartCheckedOutMigration}).
   */
  public record CartCheckedOut(String orderId, String paymentMethod, Instant at) implements Event {}

  public record CartCompleted(String orderId, Instant at) implements Event {}

  public record CartCanceled(String reason, Instant at) implements Event {}

  /**
   * A shopper's change under an Idempotency-Key: written with the change's own events, in the same
   * write, so that the cart knows the key exactly when it made the change.
   */
  public record RequestAccepted(String key, String fingerprint) implements Event {}

  // ---- state

  /**
   * A cart's status; its label is the one name the API, the read side's carts.status column and the
   * SQL over it use.
   */
  public enum Status {
    NEW,
    ACTIVE,
    CHECKED_OUT,
    INACTIVE,
    CANCELED;

    /** The name the API and the read side use. */
    @JsonValue
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public record Line(String productId, int quantity, BigDecimal unitPrice)
      implements CborSerializable {}

  public record State(
      Status status,
      String userId,
      String region,
      Map<String, Line> lines,
      String orderId,
      String paymentMethod,
      String cancelReason,
      Instant createdAt,
      Instant updatedAt,
      Map<String, String> requestKeys)
      implements CborSerializable {

    static final State EMPTY =
        new State(Status.NEW, null, null, Map.of(), null, null, null, null, null, Map.of());

    /** The state after the event; one shared handler for all carts (see commandHandler). */
    State apply(Event event) {
      if (event instanceof CartOpened e) {
        return opened(e);
      } else if (event instanceof ItemAdded e) {
        return withLine(new Line(e.productId(), e.quantity(), e.unitPrice()), e.at());
      } else if (event instanceof ItemQuantityChanged e) {
        return withLine(new Line(e.productId(), e.newQuantity(), e.unitPrice()), e.at());
      } else if (event instanceof ItemRemoved e) {
        return withoutLine(e.productId(), e.at());
      } else if (event instanceof CartCheckedOut e) {
        return checkedOut(e);
      } else if (event instanceof CartCompleted e) {
        return ended(Status.INACTIVE, null, e.at());
      } else if (event instanceof CartCanceled e) {
        return ended(Status.CANCELED, e.reason(), e.at());
      } else if (event instanceof RequestAccepted e) {
        return withRequestKey(e);
      }
      throw new IllegalArgumentException("unknown event " + event);
    }

    State opened(CartOpened e) {
      return new State(
          Status.ACTIVE,
          e.userId(),
          e.region(),
          Map.of(),
          null,
          null,
          null,
          e.at(),
          e.at(),
          requestKeys);
    }

    /** Remembers the key, forgetting the oldest beyond {@link #MAX_REQUEST_KEYS}. */
    State withRequestKey(RequestAccepted e) {
      Map<String, String> keys = new LinkedHashMap<>(requestKeys);
      keys.put(e.key(), e.fingerprint());
      if (keys.size() > MAX_REQUEST_KEYS) {
        keys.remove(keys.keySet().iterator().next());
      }
      return new State(
          status,
          userId,
          region,
          lines,
          orderId,
          paymentMethod,
          cancelReason,
          createdAt,
          updatedAt,
          keys);
    }

    State withLine(Line line, Instant at) {
      Map<String, Line> updated = new LinkedHashMap<>(lines);
      updated.put(line.productId(), line);
      return withLines(updated, at);
    }

    State withoutLine(String productId, Instant at) {
      Map<String, Line> updated = new LinkedHashMap<>(lines);
      updated.remove(productId);
      return withLines(updated, at);
    }

    private State withLines(Map<String, Line> updated, Instant at) {
      return new State(
          status,
          userId,
          region,
          updated,
          orderId,
          paymentMethod,
          cancelReason,
          createdAt,
          at,
          requestKeys);
    }

    State checkedOut(CartCheckedOut e) {
      return new State(
          Status.CHECKED_OUT,
          userId,
          region,
          lines,
          e.orderId(),
          e.paymentMethod(),
          null,
          createdAt,
          e.at(),
          requestKeys);
    }

    State ended(Status end, String reason, Instant at) {
      return new State(
          end, userId, region, lines, orderId, paymentMethod, reason, createdAt, at, requestKeys);
    }

    boolean ended() {
      return status == Status.INACTIVE || status == Status.CANCELED;
    }

    BigDecimal total() {
      return lines.values().stream()
          .map(l -> l.unitPrice().multiply(BigDecimal.valueOf(l.quantity())))
          .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** The total with the product's line set to this quantity at this unit price. */
    BigDecimal totalWith(String productId, long quantity, BigDecimal unitPrice) {
      Line current = lines.get(productId);
      BigDecimal without =
          current == null
              ? total()
              : total()
                  .subtract(current.unitPrice().multiply(BigDecimal.valueOf(current.quantity())));
      return without.add(unitPrice.multiply(BigDecimal.valueOf(quantity)));
    }

    OrderDraft draft(String cartId) {
      List<OrderLine> orderLines = new ArrayList<>();
      lines
          .values()
          .forEach(l -> orderLines.add(new OrderLine(l.productId(), l.quantity(), l.unitPrice())));
      return new OrderDraft(
          orderId, cartId, userId, region, List.copyOf(orderLines), paymentMethod);
    }

    CartView view(String cartId) {
      List<LineView> items =
          lines.values().stream()
              .map(
                  l ->
                      new LineView(
                          l.productId(),
                          l.quantity(),
                          l.unitPrice(),
                          l.unitPrice().multiply(BigDecimal.valueOf(l.quantity()))))
              .toList();
      return new CartView(
          cartId,
          userId,
          region,
          status,
          items,
          total(),
          orderId,
          cancelReason,
          createdAt,
          updatedAt);
    }
  }

  // ---- behaviour

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, CartSettings settings, OrderPlacement orders) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                    ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, orders, ctx.getShard()))
                .withRole(EntityDefaults.NODE_ROLE));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String cartId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, cartId);
  }

  /** A cart outside Cluster Sharding (entity tests): it never passivates itself. */
  public static Behavior<Command> create(
      String cartId, CartSettings settings, OrderPlacement orders) {
    return create(cartId, settings, orders, null);
  }

  private static Behavior<Command> create(
      String cartId,
      CartSettings settings,
      OrderPlacement orders,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> new ShoppingCart(cartId, settings, orders, ctx, timers, shard)));
  }

  private final String cartId;
  private final CartSettings settings;
  private final OrderPlacement orders;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;
  private final EndedPassivation<Command> passivation;

  private ShoppingCart(
      String cartId,
      CartSettings settings,
      OrderPlacement orders,
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ActorRef<ClusterSharding.ShardCommand> shard) {
    super(PersistenceId.of(ENTITY_KEY.name(), cartId));
    this.cartId = cartId;
    this.settings = settings;
    this.orders = orders;
    this.context = context;
    this.timers = timers;
    this.passivation =
        new EndedPassivation<>(settings.endedIdle(), context, shard, IdleAfterEnd.INSTANCE);
  }

  @Override
  public State emptyState() {
    return State.EMPTY;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(
            RecoveryCompleted.instance(),
            state -> {
              // A crash may have come between the checkout event and the order's acknowledgement.
              if (state.status() == Status.CHECKED_OUT) {
                placeOrder(state, null);
              } else if (state.ended()) {
                passivation.whenIdle();
              }
            })
        .build();
  }

  /**
   * Plain dispatch, one method per status, rather than Akka's handler builder, whose cases were
   * built anew for every cart: half of a cart's memory (2.8 KB).
   */
  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return (state, command) ->
        command instanceof ByShopper byShopper
            ? onShopperCommand(state, byShopper)
            : onCommand(state, command, null);
  }

  /**
   * A shopper's command: carried out only when the cart is theirs (or, for Open, a new cart), and
   * under a request key only once. A key the cart accepted a change under answers the cart as it is
   * now (and the order id, for a checkout), changing nothing; with another request it is refused. A
   * refused command changed nothing and left no key: its repeat is decided afresh.
   */
  private ReplyEffect<Event, State> onShopperCommand(State state, ByShopper byShopper) {
    ShopperCommand<?> command = byShopper.command();
    boolean theirs =
        state.status() == Status.NEW
            ? command instanceof Open open && open.userId().equals(byShopper.userId())
            : state.userId().equals(byShopper.userId());
    if (!theirs) {
      return replyNotFound(state, command);
    }
    RequestKey key = byShopper.requestKey();
    String seen = key == null ? null : state.requestKeys().get(key.key());
    if (seen == null) {
      return onCommand(state, command, key);
    }
    if (!seen.equals(key.fingerprint())) {
      return reject(
          command.replyTo(),
          Rejection.invalid(
              "Idempotency-Key '" + key.key() + "' was used for another request to this cart"));
    }
    if (command instanceof Checkout checkout) {
      // The key was written with the checkout, and so was the order id.
      return replyCheckedOut(checkout.replyTo(), state.orderId());
    }
    return replyView(((AnsweredWithView) command).replyTo(), state);
  }

  /** The command, in the cart's status; key: the request key a shopper's change came under. */
  private ReplyEffect<Event, State> onCommand(State state, Command command, RequestKey key) {
    return switch (state.status()) {
      case NEW -> newCart(state, command, key);
      case ACTIVE -> activeCart(state, command, key);
      case CHECKED_OUT -> checkedOutCart(state, command);
      case INACTIVE, CANCELED -> endedCart(state, command);
    };
  }

  /** New: only an Open makes it a cart; to everything else it does not exist. */
  private ReplyEffect<Event, State> newCart(State state, Command command, RequestKey key) {
    if (command instanceof Open c) {
      return onOpen(c, key);
    }
    if (command instanceof OrderEnded c) {
      return acknowledge(c);
    }
    return replyNotFound(state, command);
  }

  /** Active: its lines change until it is checked out, given up or expired. */
  private ReplyEffect<Event, State> activeCart(State state, Command command, RequestKey key) {
    if (command instanceof AddItem c) {
      return onAddItem(state, c, key);
    }
    if (command instanceof ChangeQuantity c) {
      return onChangeQuantity(state, c, key);
    }
    if (command instanceof RemoveItem c) {
      return onRemoveItem(state, c, key);
    }
    if (command instanceof Checkout c) {
      return onCheckout(state, c, key);
    }
    if (command instanceof Cancel c) {
      return cancel("given up by the shopper", c.replyTo(), key);
    }
    if (command instanceof Expire c) {
      return state.updatedAt().plus(settings.expireAfter()).isAfter(Instant.now())
          ? replyView(c.replyTo(), state)
          : cancel("expired: no change since " + state.updatedAt(), c.replyTo(), null);
    }
    return openedCart(state, command);
  }

  /** Checked out: its order is placed (again, until acknowledged), then its outcome ends it. */
  private ReplyEffect<Event, State> checkedOutCart(State state, Command command) {
    if (command instanceof Checkout c) {
      placeOrder(state, c.replyTo());
      return Effect().noReply();
    }
    if (command instanceof RetryPlacement) {
      placeOrder(state, null);
      return Effect().noReply();
    }
    if (command instanceof OrderEnded c) {
      return onOrderEnded(state, c);
    }
    return notActiveCart(state, command);
  }

  /** Inactive (its order completed) or canceled: read only, and out of memory once idle. */
  private ReplyEffect<Event, State> endedCart(State state, Command command) {
    if (command instanceof Checkout c) {
      return state.orderId() != null
          ? replyCheckedOut(c.replyTo(), state.orderId())
          : reject(c.replyTo(), notActive(state));
    }
    if (command instanceof IdleAfterEnd) {
      passivation.passivate();
      return Effect().noReply();
    }
    return notActiveCart(state, command);
  }

  /** Checked out or ended: changes are refused, and it no longer expires. */
  private ReplyEffect<Event, State> notActiveCart(State state, Command command) {
    if (command instanceof AddItem
        || command instanceof ChangeQuantity
        || command instanceof RemoveItem
        || command instanceof Cancel) {
      return reject(((AnsweredWithView) command).replyTo(), notActive(state));
    }
    if (command instanceof Expire c) {
      return replyView(c.replyTo(), state);
    }
    return openedCart(state, command);
  }

  /** What every opened cart answers alike, whatever its status. */
  private ReplyEffect<Event, State> openedCart(State state, Command command) {
    if (command instanceof Get c) {
      return replyView(c.replyTo(), state);
    }
    if (command instanceof Open c) {
      return state.userId().equals(c.userId())
          ? replyView(c.replyTo(), state)
          : reject(c.replyTo(), Rejection.conflict("cart " + cartId + " belongs to another user"));
    }
    if (command instanceof OrderEnded c) {
      // Not this cart's order, or heard before.
      return acknowledge(c);
    }
    if (command instanceof OrderPlacementAnswered c) {
      return onPlacementAnswered(state, c);
    }
    // A placement retry due after the cart moved on.
    return Effect().noReply();
  }

  private ReplyEffect<Event, State> onOpen(Open cmd, RequestKey key) {
    if (cmd.lines().size() > settings.maxLines()) {
      return reject(cmd.replyTo(), tooManyLines());
    }
    Instant now = Instant.now();
    List<Event> events = new ArrayList<>(List.of(new CartOpened(cmd.userId(), cmd.region(), now)));
    Set<String> products = new HashSet<>();
    BigDecimal total = BigDecimal.ZERO;
    for (NewLine line : cmd.lines()) {
      if (!products.add(line.productId())) {
        return reject(
            cmd.replyTo(),
            Rejection.invalid("product " + line.productId() + " is listed more than once"));
      }
      Optional<Rejection> invalid = invalidLine(line.quantity(), line.unitPrice(), null);
      if (invalid.isPresent()) {
        return reject(cmd.replyTo(), invalid.get());
      }
      total = total.add(line.unitPrice().multiply(BigDecimal.valueOf(line.quantity())));
      events.add(new ItemAdded(line.productId(), line.quantity(), line.unitPrice(), now));
    }
    Optional<Rejection> tooLarge = totalTooLarge(total);
    if (tooLarge.isPresent()) {
      return reject(cmd.replyTo(), tooLarge.get());
    }
    return persist(events, key).thenReply(cmd.replyTo(), this::viewOf);
  }

  private ReplyEffect<Event, State> onAddItem(State state, AddItem cmd, RequestKey key) {
    Line existing = state.lines().get(cmd.productId());
    Optional<Rejection> invalid = invalidLine(cmd.quantity(), cmd.unitPrice(), existing);
    if (invalid.isPresent()) {
      return reject(cmd.replyTo(), invalid.get());
    }
    if (existing == null && state.lines().size() >= settings.maxLines()) {
      return reject(cmd.replyTo(), tooManyLines());
    }
    long quantity = (existing == null ? 0L : existing.quantity()) + cmd.quantity();
    // The whole line takes the price of now: units added later are not sold at an older price.
    Optional<Rejection> tooLarge =
        totalTooLarge(state.totalWith(cmd.productId(), quantity, cmd.unitPrice()));
    if (tooLarge.isPresent()) {
      return reject(cmd.replyTo(), tooLarge.get());
    }
    Instant now = Instant.now();
    Event event =
        existing == null
            ? new ItemAdded(cmd.productId(), cmd.quantity(), cmd.unitPrice(), now)
            : new ItemQuantityChanged(
                cmd.productId(), existing.quantity(), (int) quantity, cmd.unitPrice(), now);
    return persist(List.of(event), key).thenReply(cmd.replyTo(), this::viewOf);
  }

  /** Why adding these units at this price to the line (null: a new line) is refused, if it is. */
  private Optional<Rejection> invalidLine(int quantity, BigDecimal unitPrice, Line existing) {
    long total = (existing == null ? 0L : existing.quantity()) + quantity;
    if (quantity < 1 || total > settings.maxQuantityPerLine()) {
      return Optional.of(
          Rejection.invalid(
              "quantity must be between 1 and "
                  + settings.maxQuantityPerLine()
                  + " per product"
                  + (existing == null ? "" : " (the cart holds " + existing.quantity() + ")")));
    }
    return invalidPrice(unitPrice);
  }

  /** Why the cart may not reach this total, if it may not: more than an order can hold. */
  private static Optional<Rejection> totalTooLarge(BigDecimal total) {
    return total.compareTo(OrderDraft.MAX_TOTAL) <= 0
        ? Optional.empty()
        : Optional.of(
            Rejection.invalid(
                "the cart would total "
                    + total.toPlainString()
                    + ", more than an order may ("
                    + OrderDraft.MAX_TOTAL.toPlainString()
                    + ")"));
  }

  /** Why a line may not have this unit price, if it may not. */
  private static Optional<Rejection> invalidPrice(BigDecimal unitPrice) {
    return unitPrice == null || unitPrice.signum() < 0
        ? Optional.of(Rejection.invalid("unit price must not be negative"))
        : Optional.empty();
  }

  private Rejection tooManyLines() {
    return Rejection.invalid("a cart holds at most " + settings.maxLines() + " products");
  }

  private ReplyEffect<Event, State> onChangeQuantity(
      State state, ChangeQuantity cmd, RequestKey key) {
    Line existing = state.lines().get(cmd.productId());
    if (existing == null) {
      return reject(
          cmd.replyTo(), Rejection.notFound("product " + cmd.productId() + " is not in the cart"));
    }
    if (cmd.quantity() < 1 || cmd.quantity() > settings.maxQuantityPerLine()) {
      return reject(
          cmd.replyTo(),
          Rejection.invalid(
              "quantity must be between 1 and " + settings.maxQuantityPerLine() + " per product"));
    }
    Optional<Rejection> badPrice = invalidPrice(cmd.unitPrice());
    if (badPrice.isPresent()) {
      return reject(cmd.replyTo(), badPrice.get());
    }
    if (cmd.quantity() == existing.quantity()
        && cmd.unitPrice().compareTo(existing.unitPrice()) == 0) {
      return replyView(cmd.replyTo(), state);
    }
    Optional<Rejection> tooLarge =
        totalTooLarge(state.totalWith(cmd.productId(), cmd.quantity(), cmd.unitPrice()));
    if (tooLarge.isPresent()) {
      return reject(cmd.replyTo(), tooLarge.get());
    }
    return persist(
            List.of(
                new ItemQuantityChanged(
                    cmd.productId(),
                    existing.quantity(),
                    cmd.quantity(),
                    cmd.unitPrice(),
                    Instant.now())),
            key)
        .thenReply(cmd.replyTo(), this::viewOf);
  }

  private ReplyEffect<Event, State> onRemoveItem(State state, RemoveItem cmd, RequestKey key) {
    Line existing = state.lines().get(cmd.productId());
    if (existing == null) {
      return reject(
          cmd.replyTo(), Rejection.notFound("product " + cmd.productId() + " is not in the cart"));
    }
    return persist(
            List.of(
                new ItemRemoved(
                    cmd.productId(), existing.quantity(), existing.unitPrice(), Instant.now())),
            key)
        .thenReply(cmd.replyTo(), this::viewOf);
  }

  private ReplyEffect<Event, State> cancel(
      String reason, ActorRef<Reply<CartView>> replyTo, RequestKey key) {
    return persist(List.of(new CartCanceled(reason, Instant.now())), key)
        .thenRun(s -> passivation.whenIdle())
        .thenReply(replyTo, this::viewOf);
  }

  private ReplyEffect<Event, State> onCheckout(State state, Checkout cmd, RequestKey key) {
    if (!PaymentMethods.isSupported(cmd.paymentMethod())) {
      return reject(
          cmd.replyTo(), Rejection.invalid("payment method must be one of " + PaymentMethods.ALL));
    }
    if (state.lines().isEmpty()) {
      return reject(cmd.replyTo(), Rejection.conflict("cart " + cartId + " is empty"));
    }
    String orderId = UUID.randomUUID().toString();
    return persist(List.of(new CartCheckedOut(orderId, cmd.paymentMethod(), Instant.now())), key)
        .thenRun(s -> placeOrder(s, cmd.replyTo()))
        .thenNoReply();
  }

  /**
   * Persists a shopper's change, and the request key it came under (if not null) in the same write.
   */
  private EffectBuilder<Event, State> persist(List<Event> events, RequestKey key) {
    if (key == null) {
      return Effect().persist(events);
    }
    List<Event> withKey = new ArrayList<>(events);
    withKey.add(new RequestAccepted(key.key(), key.fingerprint()));
    return Effect().persist(withKey);
  }

  /** Places the cart's order (idempotent); the shopper hears the order id once it exists. */
  private void placeOrder(State state, ActorRef<Reply<CheckedOut>> replyTo) {
    String orderId = state.orderId();
    context.pipeToSelf(
        orders.place(state.draft(cartId)),
        (ok, error) -> new OrderPlacementAnswered(orderId, replyTo, error));
  }

  private ReplyEffect<Event, State> onPlacementAnswered(
      State state, OrderPlacementAnswered answer) {
    if (answer.error() == null) {
      return answer.replyTo() == null
          ? Effect().noReply()
          : replyCheckedOut(answer.replyTo(), answer.orderId());
    }
    if (Failures.unwrapped(answer.error()) instanceof Rejection.RejectedException refused
        && refused.rejection().kind() != Rejection.Kind.UNAVAILABLE) {
      // The order refuses this cart's draft and always will: retrying would never end.
      return cancelRefused(answer, refused.rejection());
    }
    context
        .getLog()
        .warn(
            "Placing order {} of cart {} failed, retrying: {}",
            answer.orderId(),
            cartId,
            answer.error().toString());
    timers.startSingleTimer(RetryPlacement.INSTANCE, settings.placementRetry());
    // The order id is known and the order will be placed by the retries: a shopper who asks again
    // gets it. Answering it now would promise an order that may not exist yet.
    return answer.replyTo() == null
        ? Effect().noReply()
        : reject(
            answer.replyTo(),
            Rejection.unavailable("the order is being placed; retry the checkout for its id"));
  }

  private ReplyEffect<Event, State> cancelRefused(
      OrderPlacementAnswered answer, Rejection rejection) {
    String reason = "the order was refused: " + rejection.reason();
    context.getLog().warn("Cart {} canceled: {}", cartId, reason);
    var canceled = Effect().persist(new CartCanceled(reason, Instant.now()));
    return answer.replyTo() == null
        ? canceled.thenNoReply()
        : canceled.thenReply(answer.replyTo(), s -> Reply.rejected(rejection));
  }

  private ReplyEffect<Event, State> onOrderEnded(State state, OrderEnded cmd) {
    if (!cmd.orderId().equals(state.orderId())) {
      return acknowledge(cmd);
    }
    Event event =
        cmd.completed()
            ? new CartCompleted(cmd.orderId(), Instant.now())
            : new CartCanceled(cmd.reason(), Instant.now());
    return Effect()
        .persist(event)
        .thenRun(s -> passivation.whenIdle())
        .thenReply(cmd.replyTo(), s -> Reply.accepted(Acknowledgement.ORDER_ENDED));
  }

  private ReplyEffect<Event, State> acknowledge(OrderEnded cmd) {
    return Effect().reply(cmd.replyTo(), Reply.accepted(Acknowledgement.ORDER_ENDED));
  }

  /**
   * Answers that the cart does not exist. A cart that was never opened leaves memory at once:
   * requests for made-up ids must not fill it with empty carts.
   */
  private ReplyEffect<Event, State> replyNotFound(State state, Command command) {
    Rejection rejection = Rejection.notFound("cart " + cartId + " does not exist");
    if (command instanceof ShopperCommand<?> c) {
      return notFound(state, c.replyTo(), rejection);
    }
    if (command instanceof Expire c) {
      return notFound(state, c.replyTo(), rejection);
    }
    return Effect().noReply();
  }

  private <T> ReplyEffect<Event, State> notFound(
      State state, ActorRef<Reply<T>> replyTo, Rejection rejection) {
    return state.status() == Status.NEW
        ? Effect()
            .none()
            .thenRun(s -> passivation.passivate())
            .thenReply(replyTo, s -> Reply.rejected(rejection))
        : reject(replyTo, rejection);
  }

  private Rejection notActive(State state) {
    return Rejection.conflict("cart " + cartId + " is " + state.status().label() + ", not active");
  }

  private Reply<CartView> viewOf(State state) {
    return Reply.accepted(state.view(cartId));
  }

  private ReplyEffect<Event, State> replyView(ActorRef<Reply<CartView>> replyTo, State state) {
    return Effect().reply(replyTo, viewOf(state));
  }

  private ReplyEffect<Event, State> replyCheckedOut(
      ActorRef<Reply<CheckedOut>> replyTo, String orderId) {
    return Effect().reply(replyTo, Reply.accepted(new CheckedOut(orderId)));
  }

  private <T> ReplyEffect<Event, State> reject(ActorRef<Reply<T>> replyTo, Rejection rejection) {
    return Effect().reply(replyTo, Reply.rejected(rejection));
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return State::apply;
  }
}
