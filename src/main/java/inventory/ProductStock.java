package inventory;

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
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import common.CborSerializable;
import common.EntityDefaults;
import common.Rejection;
import common.Reply;
import inventory.StockBatch.Decision;
import inventory.StockBatch.PendingReply;
import inventory.StockBatch.PendingReply.Decided;
import inventory.StockBatch.PendingReply.StockAsWritten;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
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
 * a product whose node died is woken to apply it (storefront.node.StalledProcesses). The restock
 * reuses the restock id check: applied once, however often it is woken.
 *
 * <p>Commands are decided in batches ({@link StockBatch}): every command answers a {@link Reply},
 * once the batch it was decided in is written. A failed write stops the entity (Akka's default):
 * the next command starts it afresh from the journal, and the senders of the lost batch, left
 * unanswered, ask again.
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

  /**
   * Adds units to a warehouse; a restock id that was applied before has no second effect. Answers
   * the stock as written.
   */
  public record Restock(
      String restockId,
      String warehouseId,
      String region,
      int quantity,
      ActorRef<Reply<StockView>> replyTo)
      implements Command {}

  /**
   * Reserves units for an order, shopper's region first, all or nothing; dropped unanswered when it
   * arrives after notAfter, the moment its sender stops waiting for the answer.
   */
  public record Reserve(
      String orderId,
      int quantity,
      String region,
      Instant notAfter,
      ActorRef<Reply<Reserved>> replyTo)
      implements Command {}

  /** Gives an order's reserved units back. */
  public record Release(String orderId, ActorRef<Reply<ReservationEnded>> replyTo)
      implements Command {}

  /** Turns an order's reserved units into sold units. */
  public record Commit(String orderId, ActorRef<Reply<ReservationEnded>> replyTo)
      implements Command {}

  /** The stock as persisted, at once (not after the batch being decided). */
  public record GetStock(ActorRef<Reply<StockView>> replyTo) implements Command {}

  /** Sent to itself: write the batch decided so far. */
  private enum WriteBatch implements Command {
    INSTANCE
  }

  /** Sent to itself by a timer: the planned restock is due. */
  private record RestockDue(String restockId) implements Command {}

  // ---- replies

  /** The order's units, by warehouse: made now, or held since an earlier request. */
  public record Reserved(String orderId, List<Allocation> allocations) implements CborSerializable {
    public Reserved {
      allocations = List.copyOf(allocations);
    }
  }

  /** How an order's reservation ended; the same answer when it held nothing (any more). */
  public enum ReservationEnded {
    RELEASED,
    COMMITTED
  }

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
  public record UnitsReserved(String orderId, List<Allocation> allocations) implements Change {
    public UnitsReserved {
      allocations = List.copyOf(allocations);
    }
  }

  public record StockReleased(String orderId, List<Allocation> allocations) implements Change {
    public StockReleased {
      allocations = List.copyOf(allocations);
    }
  }

  public record StockCommitted(String orderId, List<Allocation> allocations) implements Change {
    public StockCommitted {
      allocations = List.copyOf(allocations);
    }
  }

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

    public StockChanged {
      changes = List.copyOf(changes);
    }

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
   * Immutable: an event makes a new state, copying the open reservations once per event (one per
   * written batch), not per change. They are the orders between reserving and ending, whose payment
   * is in flight: a few hundred on a hot product, little to copy beside the write itself. Snapshots
   * store these fields by name as version 1 did (appliedRestocks, then a set, was stored as an
   * array too).
   */
  public record State(
      Map<String, WarehouseStock> warehouses,
      Map<String, List<Allocation>> reservations,
      List<String> appliedRestocks,
      Map<String, PlannedRestock> plannedRestocks)
      implements CborSerializable {

    public State {
      warehouses = Map.copyOf(warehouses);
      // From a snapshot, the lists are Jackson's own; from events, already immutable.
      reservations =
          reservations.entrySet().stream()
              .collect(
                  Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
      appliedRestocks = List.copyOf(appliedRestocks);
      // Snapshots taken before restocks were planned have none.
      plannedRestocks = plannedRestocks == null ? Map.of() : Map.copyOf(plannedRestocks);
    }

    static State empty() {
      return new State(Map.of(), Map.of(), List.of(), Map.of());
    }

    int available() {
      return warehouses.values().stream().mapToInt(WarehouseStock::available).sum();
    }

    /** The state after the event: its changes in order, applied to one copy of the counts. */
    State apply(Event event) {
      Map<String, WarehouseStock> warehouses = new HashMap<>(this.warehouses);
      Map<String, List<Allocation>> reservations = new HashMap<>(this.reservations);
      List<String> appliedRestocks = this.appliedRestocks;
      Map<String, PlannedRestock> plannedRestocks = this.plannedRestocks;
      for (Change change : StockChanged.of(event)) {
        if (change instanceof StockReceived e) {
          warehouses.merge(
              e.warehouseId(),
              new WarehouseStock(e.region(), e.quantity(), 0, 0, e.quantity()),
              (current, added) -> current.plus(e.quantity(), 0, 0, e.quantity()));
          appliedRestocks = remembered(appliedRestocks, e.restockId());
          plannedRestocks = without(plannedRestocks, e.restockId());
        } else if (change instanceof UnitsReserved e) {
          e.allocations().forEach(a -> adjust(warehouses, a, -a.quantity(), a.quantity(), 0));
          reservations.put(e.orderId(), e.allocations());
        } else if (change instanceof StockReleased e) {
          e.allocations().forEach(a -> adjust(warehouses, a, a.quantity(), -a.quantity(), 0));
          reservations.remove(e.orderId());
        } else if (change instanceof StockCommitted e) {
          e.allocations().forEach(a -> adjust(warehouses, a, 0, -a.quantity(), a.quantity()));
          reservations.remove(e.orderId());
        } else if (change instanceof SoldOut e && e.restock() != null) {
          Map<String, PlannedRestock> planned = new HashMap<>(plannedRestocks);
          planned.put(e.restock().restockId(), e.restock());
          plannedRestocks = planned;
        }
      }
      return new State(warehouses, reservations, appliedRestocks, plannedRestocks);
    }

    /** The last REMEMBERED_RESTOCKS restock ids, oldest first, with this one. */
    private static List<String> remembered(List<String> restockIds, String restockId) {
      if (restockIds.contains(restockId)) {
        return restockIds;
      }
      List<String> next = new ArrayList<>(restockIds);
      next.add(restockId);
      return next.subList(Math.max(0, next.size() - REMEMBERED_RESTOCKS), next.size());
    }

    private static Map<String, PlannedRestock> without(
        Map<String, PlannedRestock> plannedRestocks, String restockId) {
      if (!plannedRestocks.containsKey(restockId)) {
        return plannedRestocks;
      }
      Map<String, PlannedRestock> planned = new HashMap<>(plannedRestocks);
      planned.remove(restockId);
      return planned;
    }

    private static void adjust(
        Map<String, WarehouseStock> warehouses,
        Allocation a,
        int availableDelta,
        int reservedDelta,
        int soldDelta) {
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
  private final ReservationMetrics metrics;

  /**
   * What was decided since the last write; not state: not persisted, empty again when the entity
   * starts. A WriteBatch message is on its way whenever it is not empty.
   */
  private StockBatch batch = StockBatch.EMPTY;

  private ProductStock(
      String productId,
      InventorySettings settings,
      ActorContext<Command> context,
      TimerScheduler<Command> timers) {
    super(PersistenceId.of(ENTITY_KEY.name(), productId));
    this.productId = productId;
    this.settings = settings;
    this.context = context;
    this.timers = timers;
    this.metrics = new ReservationMetrics(NodeMetrics.get(context.getSystem()).registry());
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
  public CommandHandlerWithReply<Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(Restock.class, (state, cmd) -> join(decideRestock(state, cmd)))
        .onCommand(Reserve.class, this::onReserve)
        .onCommand(Release.class, (state, cmd) -> join(decideRelease(state, cmd)))
        .onCommand(Commit.class, (state, cmd) -> join(decideCommit(state, cmd)))
        .onCommand(
            GetStock.class,
            (state, cmd) -> Effect().reply(cmd.replyTo(), Reply.accepted(state.view(productId))))
        .onCommand(WriteBatch.class, this::onWriteBatch)
        .onCommand(RestockDue.class, this::onRestockDue)
        .build();
  }

  private Decision decideRestock(State state, Restock cmd) {
    if (batch.restockApplied(state, cmd.restockId())) {
      return Decision.answer(new StockAsWritten(cmd.replyTo()));
    }
    if (batch.restockKeyUsedOtherwise(state, cmd.restockId())) {
      return refuse(cmd, "the Idempotency-Key was used for another restock");
    }
    if (cmd.quantity() <= 0) {
      return refuse(cmd, "quantity must be positive");
    }
    String region = batch.region(state, cmd.warehouseId());
    if (region != null && !region.equals(cmd.region())) {
      return refuse(cmd, "warehouse " + cmd.warehouseId() + " belongs to region " + region);
    }
    // Bounded per product, not per warehouse, so that no total of the counts can overflow.
    if (batch.received(state) + cmd.quantity() > Integer.MAX_VALUE) {
      return refuse(
          cmd,
          "quantity too large: a product receives at most " + Integer.MAX_VALUE + " units in all");
    }
    return Decision.write(
        new StockReceived(cmd.restockId(), cmd.warehouseId(), cmd.region(), cmd.quantity()),
        new StockAsWritten(cmd.replyTo()));
  }

  private static Decision refuse(Restock cmd, String reason) {
    return Decision.answer(new Decided<>(cmd.replyTo(), Reply.rejected(Rejection.invalid(reason))));
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve cmd) {
    if (Instant.now().isAfter(cmd.notAfter())) {
      context.getLog().debug("Dropped a reservation of order {} that came too late", cmd.orderId());
      return Effect().noReply();
    }
    return join(decideReservation(state, cmd));
  }

  private Decision decideReservation(State state, Reserve cmd) {
    List<Allocation> existing = batch.reservation(state, cmd.orderId());
    if (existing != null) {
      return Decision.answer(
          new Decided<>(cmd.replyTo(), Reply.accepted(new Reserved(cmd.orderId(), existing))));
    }
    if (cmd.quantity() <= 0) {
      return Decision.refuseReservation(
          cmd.replyTo(), Rejection.invalid("quantity must be positive"));
    }
    Optional<List<Allocation>> allocations = batch.allocate(state, cmd.quantity(), cmd.region());
    if (allocations.isEmpty()) {
      return Decision.refuseReservation(
          cmd.replyTo(),
          Rejection.conflict(
              "out of stock: requested "
                  + cmd.quantity()
                  + ", available "
                  + batch.available(state)));
    }
    return Decision.write(
        new UnitsReserved(cmd.orderId(), allocations.get()),
        new Decided<>(
            cmd.replyTo(), Reply.accepted(new Reserved(cmd.orderId(), allocations.get()))));
  }

  private Decision decideRelease(State state, Release cmd) {
    PendingReply released = new Decided<>(cmd.replyTo(), Reply.accepted(ReservationEnded.RELEASED));
    List<Allocation> allocations = batch.reservation(state, cmd.orderId());
    return allocations == null
        ? Decision.answer(released)
        : Decision.write(new StockReleased(cmd.orderId(), allocations), released);
  }

  private Decision decideCommit(State state, Commit cmd) {
    PendingReply committed =
        new Decided<>(cmd.replyTo(), Reply.accepted(ReservationEnded.COMMITTED));
    List<Allocation> allocations = batch.reservation(state, cmd.orderId());
    return allocations == null
        ? Decision.answer(committed)
        : Decision.write(new StockCommitted(cmd.orderId(), allocations), committed);
  }

  /** Applies a planned restock that is due, unless it was applied already. Nobody waits for it. */
  private ReplyEffect<Event, State> onRestockDue(State state, RestockDue due) {
    PlannedRestock planned = state.plannedRestocks().get(due.restockId());
    if (planned == null || batch.restockApplied(state, planned.restockId())) {
      return Effect().noReply();
    }
    context.getLog().info("Restocking {} after its sell-out: {}", productId, planned);
    decided(
        batch.withChange(
            new StockReceived(
                planned.restockId(), planned.warehouseId(), planned.region(), planned.quantity())));
    return Effect().noReply();
  }

  /**
   * Adds the command's decision to the batch. Its sender is answered when the batch is written
   * (onWriteBatch), by the answer the decision holds.
   */
  private ReplyEffect<Event, State> join(Decision decision) {
    decided(batch.with(decision));
    return Effect().noReply();
  }

  /** The batch is written once the mailbox in front of the WriteBatch sent now has been read. */
  private void decided(StockBatch next) {
    if (batch.isEmpty()) {
      context.getSelf().tell(WriteBatch.INSTANCE);
    }
    batch = next;
  }

  /**
   * Writes everything decided since the last write as one event, then answers every command of the
   * batch. Commands that arrive while it is in flight are held by Akka and then decided into the
   * next batch.
   */
  private ReplyEffect<Event, State> onWriteBatch(State state, WriteBatch write) {
    StockBatch decided = batch;
    batch = StockBatch.EMPTY;
    List<Change> changes = new ArrayList<>(decided.changes());
    if (!changes.isEmpty()) {
      availabilityCrossed(state, decided.available(state)).ifPresent(changes::add);
    }
    if (changes.isEmpty()) {
      answer(decided, state);
      return Effect().noReply();
    }
    return Effect()
        .persist(changes.size() == 1 ? changes.get(0) : new StockChanged(changes))
        .thenRun(
            written -> {
              armRestockTimers(written);
              answer(decided, written);
            })
        .thenNoReply();
  }

  /**
   * Sends the answers the batch owes, one per command decided into it. Not through the effect's
   * reply: a ReplyEffect answers one sender of the command it handles (EffectBuilder.thenReply
   * takes one ActorRef), while this write, sent by the entity to itself, owes an answer to the
   * sender of every command in the batch. That each is answered is what {@link Decision} ensures: a
   * command joins a batch only with the answer it owes.
   */
  private void answer(StockBatch decided, State written) {
    decided.replies().forEach(reply -> reply.send(written, productId));
    metrics.reserved(decided.newReservations());
    metrics.refused(decided.refusedReservations());
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
