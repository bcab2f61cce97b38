package inventory;

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
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.RecoveryCompleted;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import akka.persistence.typed.javadsl.SignalHandler;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import common.CborSerializable;
import common.EntityDefaults;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import metrics.NodeMetrics;

/**
 * The stock of one product across all warehouses: the only place that decides whether a unit can
 * still be sold. Reservations are all-or-nothing and idempotent per order id, so an order may retry
 * any step without a second effect.
 *
 * <p>A reservation request carries the moment its sender gives up on it; one that arrives later
 * (stuck in a buffer during a failover, say) is dropped unanswered, because the order has moved on
 * without it and might already have released what it held. An order writes its decision before it
 * commits or releases and never reserves afterwards, so nothing needs to remember ended orders: the
 * state holds only the warehouses, the reservations still open and the last restock ids, and stays
 * small however many orders a product has sold. Nodes' clocks must agree to within the order's
 * retry back-off (200 ms; NTP keeps them within milliseconds).
 *
 * <p>Invariants after every event: no warehouse count below zero, and per warehouse received =
 * available + reserved + sold.
 *
 * <p>The entity also says when its availability crosses a line (sold out, back in stock, low
 * stock), as changes written with the batch that crossed it, so that the read side turns each into
 * one notification. A sell-out plans a restock (InventorySettings) in the same write; the plan is
 * in the state, so a restarted entity re-arms its timer, and the read side lists due plans so that
 * a product whose node died is woken to apply it (storefront.StalledProcesses). The restock reuses
 * the restock id check: applied once, however often it is woken.
 *
 * <p>The state is mutated in place by the event handler (a hot product holds many reservations and
 * copying them per event would cost O(n)); snapshots are deep copies taken on the actor's thread.
 * Because Akka reuses the one empty state when it restarts an entity, a failed write stops this
 * entity instead of restarting it.
 */
public final class ProductStock
    extends EventSourcedBehaviorWithEnforcedReplies<
        ProductStock.Command, ProductStock.Event, ProductStock.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ProductStock");

  /**
   * A hot product writes thousands of events a second; its small state is snapshotted every this
   * many, so that recovery replays at most that many (tens of milliseconds).
   */
  static final int SNAPSHOT_EVERY = 1_000;

  /**
   * Restock ids are remembered for a product's last this many restocks: a retried restock comes
   * within minutes, and the state must stay bounded however long the product is sold.
   */
  static final int REMEMBERED_RESTOCKS = 1_000;

  /** How the id of a restock planned after a sell-out starts. */
  public static final String SELL_OUT_RESTOCK = "sell-out:";

  // ---- commands

  public sealed interface Command extends CborSerializable {}

  /** Adds units to a warehouse; a restock id that was applied before has no second effect. */
  public record Restock(
      String restockId,
      String warehouseId,
      String region,
      int quantity,
      ActorRef<StatusReply<StockView>> replyTo)
      implements Command {}

  /**
   * Reserves units for an order, shopper's region first, all or nothing; dropped unanswered when it
   * arrives after notAfter, the moment its sender stops waiting for the answer.
   */
  public record Reserve(
      String orderId, int quantity, String region, Instant notAfter, ActorRef<ReserveReply> replyTo)
      implements Command {}

  /** Gives an order's reserved units back. */
  public record Release(String orderId, ActorRef<Done> replyTo) implements Command {}

  /** Turns an order's reserved units into sold units. */
  public record Commit(String orderId, ActorRef<Done> replyTo) implements Command {}

  public record GetStock(ActorRef<StockView> replyTo) implements Command {}

  /** Sent to itself: write the batch decided so far. */
  private enum WriteBatch implements Command {
    INSTANCE
  }

  /** Sent to itself by a timer: the planned restock is due. */
  private record RestockDue(String restockId) implements Command {}

  // ---- replies

  public sealed interface ReserveReply extends CborSerializable {}

  public record Reserved(String orderId, List<Allocation> allocations) implements ReserveReply {}

  public record Refused(String orderId, String reason) implements ReserveReply {}

  public record Allocation(String warehouseId, int quantity) implements CborSerializable {}

  public record StockView(
      String productId,
      int available,
      int reserved,
      int sold,
      int received,
      List<WarehouseView> warehouses)
      implements CborSerializable {}

  public record WarehouseView(
      String warehouseId, String region, int available, int reserved, int sold, int received)
      implements CborSerializable {}

  // ---- events

  public sealed interface Event extends CborSerializable {}

  /**
   * One change to the stock: to its counts, or its availability crossing a line. Alone it is an
   * event, decided together with others a part of one.
   */
  public sealed interface Change extends Event {}

  public record StockReceived(String restockId, String warehouseId, String region, int quantity)
      implements Change {}

  /**
   * Units set aside for an order. Those written before its rename carry the manifest {@code
   * inventory.ProductStock$StockReserved} and read as this ({@link UnitsReservedMigration}); inside
   * a {@link StockChanged} it is stored by its type name, which stays "reserved".
   */
  public record UnitsReserved(String orderId, List<Allocation> allocations) implements Change {}

  public record StockReleased(String orderId, List<Allocation> allocations) implements Change {}

  public record StockCommitted(String orderId, List<Allocation> allocations) implements Change {}

  /**
   * The last available unit went (reserved; it may still come back if its order is canceled). The
   * restock it plans, null when restocks after a sell-out are off or one is already planned.
   */
  public record SoldOut(PlannedRestock restock) implements Change {}

  /** Units are available again after a sell-out. */
  public record BackInStock(int available) implements Change {}

  /** Available units fell to the threshold or below, but not to zero. */
  public record LowStock(int available, int threshold) implements Change {}

  /** A restock the product applies itself at dueAt, under restockId (so at most once). */
  public record PlannedRestock(
      String restockId, String warehouseId, String region, int quantity, Instant dueAt)
      implements CborSerializable {}

  /**
   * Changes decided while one write was in flight, in the order they were decided, as one journal
   * row: a hot product's batch of reservations costs the journal and the read side one row, not one
   * per reservation (measured: see docs/ARCHITECTURE.md, "Cost of an order").
   */
  public record StockChanged(
      @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
          @JsonSubTypes({
            @JsonSubTypes.Type(value = StockReceived.class, name = "received"),
            @JsonSubTypes.Type(value = UnitsReserved.class, name = "reserved"),
            @JsonSubTypes.Type(value = StockReleased.class, name = "released"),
            @JsonSubTypes.Type(value = StockCommitted.class, name = "committed"),
            @JsonSubTypes.Type(value = SoldOut.class, name = "soldOut"),
            @JsonSubTypes.Type(value = BackInStock.class, name = "backInStock"),
            @JsonSubTypes.Type(value = LowStock.class, name = "lowStock")
          })
          List<Change> changes)
      implements Event {

    /** The changes an event makes, in order: itself, or the parts of a batch. */
    public static List<Change> of(Event event) {
      return event instanceof StockChanged batch ? batch.changes() : List.of((Change) event);
    }
  }

  // ---- state

  /** Counts of one warehouse; received = available + reserved + sold. */
  public record WarehouseStock(String region, int available, int reserved, int sold, int received)
      implements CborSerializable {

    WarehouseStock plus(int availableDelta, int reservedDelta, int soldDelta, int receivedDelta) {
      return new WarehouseStock(
          region,
          available + availableDelta,
          reserved + reservedDelta,
          sold + soldDelta,
          received + receivedDelta);
    }

    boolean consistent() {
      return available >= 0
          && reserved >= 0
          && sold >= 0
          && received == available + reserved + sold;
    }
  }

  /**
   * Mutable by the event handler only: a hot product holds many open reservations, and copying them
   * for every event would cost O(n) per event. See the class comment.
   */
  public record State(
      Map<String, WarehouseStock> warehouses,
      Map<String, List<Allocation>> reservations,
      LinkedHashSet<String> appliedRestocks,
      Map<String, PlannedRestock> plannedRestocks)
      implements CborSerializable {

    public State {
      // Snapshots taken before restocks were planned have none.
      if (plannedRestocks == null) {
        plannedRestocks = new HashMap<>();
      }
    }

    static State empty() {
      return new State(new HashMap<>(), new HashMap<>(), new LinkedHashSet<>(), new HashMap<>());
    }

    /** A copy, so that a snapshot is not changed by later events while it is written. */
    State copy() {
      return new State(
          new HashMap<>(warehouses),
          new HashMap<>(reservations),
          new LinkedHashSet<>(appliedRestocks),
          new HashMap<>(plannedRestocks));
    }

    int available() {
      return warehouses.values().stream().mapToInt(WarehouseStock::available).sum();
    }

    State apply(Event event) {
      StockChanged.of(event).forEach(this::apply);
      return this;
    }

    private void apply(Change change) {
      if (change instanceof StockReceived e) {
        WarehouseStock current =
            warehouses.getOrDefault(e.warehouseId(), new WarehouseStock(e.region(), 0, 0, 0, 0));
        warehouses.put(e.warehouseId(), current.plus(e.quantity(), 0, 0, e.quantity()));
        appliedRestocks.add(e.restockId());
        if (appliedRestocks.size() > REMEMBERED_RESTOCKS) {
          appliedRestocks.remove(appliedRestocks.iterator().next());
        }
        plannedRestocks.remove(e.restockId());
      } else if (change instanceof UnitsReserved e) {
        e.allocations().forEach(a -> adjust(a, -a.quantity(), a.quantity(), 0));
        reservations.put(e.orderId(), e.allocations());
      } else if (change instanceof StockReleased e) {
        e.allocations().forEach(a -> adjust(a, a.quantity(), -a.quantity(), 0));
        reservations.remove(e.orderId());
      } else if (change instanceof StockCommitted e) {
        e.allocations().forEach(a -> adjust(a, 0, -a.quantity(), a.quantity()));
        reservations.remove(e.orderId());
      } else if (change instanceof SoldOut e && e.restock() != null) {
        plannedRestocks.put(e.restock().restockId(), e.restock());
      }
    }

    private void adjust(Allocation a, int availableDelta, int reservedDelta, int soldDelta) {
      WarehouseStock updated =
          warehouses.get(a.warehouseId()).plus(availableDelta, reservedDelta, soldDelta, 0);
      if (!updated.consistent()) {
        throw new IllegalStateException(
            "stock invariant broken in warehouse " + a.warehouseId() + ": " + updated);
      }
      warehouses.put(a.warehouseId(), updated);
    }

    StockView view(String productId) {
      List<WarehouseView> perWarehouse =
          warehouses.entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(
                  e ->
                      new WarehouseView(
                          e.getKey(),
                          e.getValue().region(),
                          e.getValue().available(),
                          e.getValue().reserved(),
                          e.getValue().sold(),
                          e.getValue().received()))
              .toList();
      return new StockView(
          productId,
          perWarehouse.stream().mapToInt(WarehouseView::available).sum(),
          perWarehouse.stream().mapToInt(WarehouseView::reserved).sum(),
          perWarehouse.stream().mapToInt(WarehouseView::sold).sum(),
          perWarehouse.stream().mapToInt(WarehouseView::received).sum(),
          perWarehouse);
    }
  }

  // ---- behaviour

  private final String productId;

  /** Registers the entity with Cluster Sharding on this node. */
  public static void init(ActorSystem<?> system, InventorySettings settings) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings))
                .withRole(EntityDefaults.NODE_ROLE));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String productId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, productId);
  }

  public static Behavior<Command> create(String productId, InventorySettings settings) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new ProductStock(productId, settings, ctx, timers)));
  }

  private final InventorySettings settings;
  private final ActorContext<Command> context;
  private final TimerScheduler<Command> timers;

  /** What was decided since the last write; transient, rebuilt empty on restart. */
  private StockBatch batch = new StockBatch();

  private boolean writeScheduled;

  private final ReservationMetrics reservations;

  private ProductStock(
      String productId,
      InventorySettings settings,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    // No restart on a failed write: Akka reuses the one empty state across restarts, and this
    // state is mutable, so a restarted entity would keep what it applied before. Stopped, it is
    // started afresh from the journal by the next command (with the batch empty, too).
    super(PersistenceId.of(ENTITY_KEY.name(), productId));
    this.productId = productId;
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.reservations = new ReservationMetrics(NodeMetrics.get(context.getSystem()).registry());
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(SNAPSHOT_EVERY, 1);
  }

  @Override
  public SnapshotAdapter<State> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(State state) {
        return state.copy();
      }

      @Override
      public State fromJournal(Object from) {
        return (State) from;
      }
    };
  }

  @Override
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Restock.class, this::onRestock)
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(Release.class, this::onRelease)
        .onCommand(Commit.class, this::onCommit)
        .onCommand(WriteBatch.class, this::onWriteBatch)
        .onCommand(RestockDue.class, this::onRestockDue)
        .onCommand(
            GetStock.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.view(productId)))
        .build();
  }

  private ReplyEffect<Event, State> onRestock(State state, Restock cmd) {
    if (batch.restockApplied(state, cmd.restockId())) {
      return whenWritten(s -> cmd.replyTo().tell(StatusReply.success(s.view(productId))));
    }
    if (batch.restockKeyUsedOtherwise(state, cmd.restockId())) {
      return whenWritten(
          s ->
              cmd.replyTo()
                  .tell(StatusReply.error("the Idempotency-Key was used for another restock")));
    }
    if (cmd.quantity() <= 0) {
      return whenWritten(s -> cmd.replyTo().tell(StatusReply.error("quantity must be positive")));
    }
    String region = batch.region(state, cmd.warehouseId());
    if (region != null && !region.equals(cmd.region())) {
      return whenWritten(
          s ->
              cmd.replyTo()
                  .tell(
                      StatusReply.error(
                          "warehouse " + cmd.warehouseId() + " belongs to region " + region)));
    }
    // Bounded per product, not per warehouse, so that no total of the counts can overflow.
    if (batch.received(state) + cmd.quantity() > Integer.MAX_VALUE) {
      return whenWritten(
          s ->
              cmd.replyTo()
                  .tell(
                      StatusReply.error(
                          "quantity too large: a product receives at most "
                              + Integer.MAX_VALUE
                              + " units in all")));
    }
    return write(
        new StockReceived(cmd.restockId(), cmd.warehouseId(), cmd.region(), cmd.quantity()),
        s -> cmd.replyTo().tell(StatusReply.success(s.view(productId))));
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve cmd) {
    if (Instant.now().isAfter(cmd.notAfter())) {
      context.getLog().debug("Dropped a reservation of order {} that came too late", cmd.orderId());
      return Effect().noReply();
    }
    List<Allocation> existing = batch.reservation(state, cmd.orderId());
    if (existing != null) {
      return whenWritten(s -> cmd.replyTo().tell(new Reserved(cmd.orderId(), existing)));
    }
    if (cmd.quantity() <= 0) {
      return refuse(cmd, "quantity must be positive");
    }
    Optional<List<Allocation>> allocations = batch.allocate(state, cmd.quantity(), cmd.region());
    if (allocations.isEmpty()) {
      return refuse(
          cmd,
          "out of stock: requested " + cmd.quantity() + ", available " + batch.available(state));
    }
    return write(
        new UnitsReserved(cmd.orderId(), allocations.get()),
        s -> {
          reservations.reserved();
          cmd.replyTo().tell(new Reserved(cmd.orderId(), allocations.get()));
        });
  }

  private ReplyEffect<Event, State> refuse(Reserve cmd, String reason) {
    return whenWritten(
        s -> {
          reservations.refused();
          cmd.replyTo().tell(new Refused(cmd.orderId(), reason));
        });
  }

  private ReplyEffect<Event, State> onRelease(State state, Release cmd) {
    List<Allocation> allocations = batch.reservation(state, cmd.orderId());
    if (allocations == null) {
      return whenWritten(s -> cmd.replyTo().tell(Done.getInstance()));
    }
    return write(
        new StockReleased(cmd.orderId(), allocations), s -> cmd.replyTo().tell(Done.getInstance()));
  }

  private ReplyEffect<Event, State> onCommit(State state, Commit cmd) {
    List<Allocation> allocations = batch.reservation(state, cmd.orderId());
    if (allocations == null) {
      return whenWritten(s -> cmd.replyTo().tell(Done.getInstance()));
    }
    return write(
        new StockCommitted(cmd.orderId(), allocations),
        s -> cmd.replyTo().tell(Done.getInstance()));
  }

  /** Applies a planned restock that is due, unless it was applied already. */
  private ReplyEffect<Event, State> onRestockDue(State state, RestockDue due) {
    PlannedRestock planned = state.plannedRestocks().get(due.restockId());
    if (planned == null || batch.restockApplied(state, planned.restockId())) {
      return Effect().noReply();
    }
    context.getLog().info("Restocking {} after its sell-out: {}", productId, planned);
    return write(
        new StockReceived(
            planned.restockId(), planned.warehouseId(), planned.region(), planned.quantity()),
        s -> {});
  }

  /** Adds the event to the batch; the batch is written once the mailbox has been drained. */
  private ReplyEffect<Event, State> write(Change change, Consumer<State> reply) {
    batch.add(change, reply);
    scheduleWrite();
    return Effect().noReply();
  }

  /** Replies after the batch in front of it is written, or at once when there is none. */
  private ReplyEffect<Event, State> whenWritten(Consumer<State> reply) {
    batch.addReply(reply);
    scheduleWrite();
    return Effect().noReply();
  }

  private void scheduleWrite() {
    if (!writeScheduled) {
      writeScheduled = true;
      context.getSelf().tell(WriteBatch.INSTANCE);
    }
  }

  /**
   * Writes everything decided since the last write as one event. Commands that arrive while it is
   * in flight are held by Akka and then decided into the next batch.
   */
  private ReplyEffect<Event, State> onWriteBatch(State state, WriteBatch cmd) {
    writeScheduled = false;
    List<Change> changes = new ArrayList<>(batch.changes());
    List<Consumer<State>> replies = batch.replies();
    if (!changes.isEmpty()) {
      availabilityCrossed(state, batch.available(state)).ifPresent(changes::add);
    }
    batch = new StockBatch();
    if (changes.isEmpty()) {
      replies.forEach(reply -> reply.accept(state));
      return Effect().noReply();
    }
    return Effect()
        .persist(changes.size() == 1 ? changes.get(0) : new StockChanged(changes))
        .thenRun(
            written -> {
              armRestockTimers(written);
              replies.forEach(reply -> reply.accept(written));
            })
        .thenNoReply();
  }

  /**
   * The line the batch's changes take the available units across, if any: to zero (sold out, which
   * plans a restock), up from zero after a sale (back in stock), or to the low-stock threshold. A
   * product's first units are not "back".
   */
  private Optional<Change> availabilityCrossed(State state, int after) {
    int before = state.available();
    if (before > 0 && after == 0) {
      return Optional.of(new SoldOut(plannedRestock(state)));
    }
    if (before == 0 && after > 0 && !state.warehouses().isEmpty()) {
      return Optional.of(new BackInStock(after));
    }
    int threshold = settings.lowStockThreshold();
    if (before > threshold && after <= threshold && after > 0) {
      return Optional.of(new LowStock(after, threshold));
    }
    return Optional.empty();
  }

  /**
   * The restock a sell-out plans, into the warehouse that received the most units (the product's
   * main one), or null when restocks after a sell-out are off or one is already planned.
   */
  private PlannedRestock plannedRestock(State state) {
    if (!settings.restocksAfterSellOut() || !state.plannedRestocks().isEmpty()) {
      return null;
    }
    Map.Entry<String, WarehouseStock> main =
        state.warehouses().entrySet().stream()
            .max(
                Comparator.comparingInt(
                        (Map.Entry<String, WarehouseStock> e) -> e.getValue().received())
                    .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
            .orElseThrow();
    return new PlannedRestock(
        SELL_OUT_RESTOCK + UUID.randomUUID(),
        main.getKey(),
        main.getValue().region(),
        settings.restockAfterSellOutQuantity(),
        Instant.now().plus(settings.restockAfterSellOutDelay()));
  }

  /** A timer per planned restock, firing at once when it is overdue; an armed one is kept. */
  private void armRestockTimers(State state) {
    for (PlannedRestock planned : state.plannedRestocks().values()) {
      if (!timers.isTimerActive(planned.restockId())) {
        Duration untilDue = Duration.between(Instant.now(), planned.dueAt());
        timers.startSingleTimer(
            planned.restockId(),
            new RestockDue(planned.restockId()),
            untilDue.isNegative() ? Duration.ZERO : untilDue);
      }
    }
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::armRestockTimers)
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
