package inventory;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.pattern.StatusReply;
import akka.persistence.typed.PersistenceId;
import akka.persistence.typed.SnapshotAdapter;
import akka.persistence.typed.javadsl.CommandHandlerWithReply;
import akka.persistence.typed.javadsl.EventHandler;
import akka.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import akka.persistence.typed.javadsl.ReplyEffect;
import akka.persistence.typed.javadsl.RetentionCriteria;
import common.CborSerializable;
import common.EntityDefaults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The stock of one product across all warehouses: the only place that decides whether a unit can
 * still be sold. Reservations are all-or-nothing and idempotent per order id, so an order may retry
 * any step without a second effect.
 *
 * <p>Invariants after every event: no warehouse count below zero, and per warehouse received =
 * available + reserved + sold.
 *
 * <p>The state is mutated in place by the event handler (a hot product holds many reservations and
 * copying them per event would cost O(n)); snapshots are deep copies taken on the actor's thread.
 */
public final class ProductStock
    extends EventSourcedBehaviorWithEnforcedReplies<
        ProductStock.Command, ProductStock.Event, ProductStock.State> {

  public static final EntityTypeKey<Command> ENTITY_KEY =
      EntityTypeKey.create(Command.class, "ProductStock");

  /**
   * Finished orders remembered per product, so that late duplicates are refused, not re-applied.
   */
  static final int ENDED_ORDERS_REMEMBERED = 100_000;

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

  /** Reserves units for an order, shopper's region first, all or nothing. */
  public record Reserve(String orderId, int quantity, String region, ActorRef<ReserveReply> replyTo)
      implements Command {}

  /** Gives an order's reserved units back; the order can no longer reserve afterwards. */
  public record Release(String orderId, ActorRef<Done> replyTo) implements Command {}

  /** Turns an order's reserved units into sold units. */
  public record Commit(String orderId, ActorRef<Done> replyTo) implements Command {}

  public record GetStock(ActorRef<StockView> replyTo) implements Command {}

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

  public record StockReceived(String restockId, String warehouseId, String region, int quantity)
      implements Event {}

  public record StockReserved(String orderId, List<Allocation> allocations) implements Event {}

  public record StockReleased(String orderId, List<Allocation> allocations) implements Event {}

  public record StockCommitted(String orderId, List<Allocation> allocations) implements Event {}

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

  /** How a finished order ended here, kept to refuse late duplicates. */
  public enum Ending {
    RELEASED,
    COMMITTED
  }

  /** Mutable by the event handler only; see the class comment. */
  public record State(
      Map<String, WarehouseStock> warehouses,
      Map<String, List<Allocation>> reservations,
      LinkedHashMap<String, Ending> endedOrders,
      Set<String> appliedRestocks)
      implements CborSerializable {

    static State empty() {
      return new State(new HashMap<>(), new HashMap<>(), new LinkedHashMap<>(), new HashSet<>());
    }

    /** A deep copy, so that a snapshot is not changed by later events while it is written. */
    State copy() {
      return new State(
          new HashMap<>(warehouses),
          new HashMap<>(reservations),
          new LinkedHashMap<>(endedOrders),
          new HashSet<>(appliedRestocks));
    }

    int available() {
      return warehouses.values().stream().mapToInt(WarehouseStock::available).sum();
    }

    /** Takes units from the shopper's region first, then from the others, in a stable order. */
    Optional<List<Allocation>> allocate(int quantity, String region) {
      if (available() < quantity) {
        return Optional.empty();
      }
      List<Map.Entry<String, WarehouseStock>> ordered = new ArrayList<>(warehouses.entrySet());
      ordered.sort(
          Comparator.<Map.Entry<String, WarehouseStock>>comparingInt(
                  e -> e.getValue().region().equals(region) ? 0 : 1)
              .thenComparing(Map.Entry::getKey));
      List<Allocation> allocations = new ArrayList<>();
      int missing = quantity;
      for (var entry : ordered) {
        int take = Math.min(missing, entry.getValue().available());
        if (take > 0) {
          allocations.add(new Allocation(entry.getKey(), take));
          missing -= take;
        }
        if (missing == 0) {
          break;
        }
      }
      return Optional.of(List.copyOf(allocations));
    }

    State apply(Event event) {
      if (event instanceof StockReceived e) {
        WarehouseStock current =
            warehouses.getOrDefault(e.warehouseId(), new WarehouseStock(e.region(), 0, 0, 0, 0));
        warehouses.put(e.warehouseId(), current.plus(e.quantity(), 0, 0, e.quantity()));
        appliedRestocks.add(e.restockId());
      } else if (event instanceof StockReserved e) {
        e.allocations().forEach(a -> adjust(a, -a.quantity(), a.quantity(), 0));
        reservations.put(e.orderId(), e.allocations());
      } else if (event instanceof StockReleased e) {
        e.allocations().forEach(a -> adjust(a, a.quantity(), -a.quantity(), 0));
        reservations.remove(e.orderId());
        end(e.orderId(), Ending.RELEASED);
      } else if (event instanceof StockCommitted e) {
        e.allocations().forEach(a -> adjust(a, 0, -a.quantity(), a.quantity()));
        reservations.remove(e.orderId());
        end(e.orderId(), Ending.COMMITTED);
      }
      return this;
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

    private void end(String orderId, Ending ending) {
      endedOrders.put(orderId, ending);
      if (endedOrders.size() > ENDED_ORDERS_REMEMBERED) {
        endedOrders.remove(endedOrders.keySet().iterator().next());
      }
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
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
  }

  public static EntityRef<Command> entityRef(ActorSystem<?> system, String productId) {
    return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, productId);
  }

  public static Behavior<Command> create(String productId) {
    return Behaviors.setup(ctx -> new ProductStock(productId));
  }

  private ProductStock(String productId) {
    super(PersistenceId.of(ENTITY_KEY.name(), productId), EntityDefaults.ON_PERSIST_FAILURE);
    this.productId = productId;
  }

  @Override
  public State emptyState() {
    return State.empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return EntityDefaults.RETENTION;
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
        .onCommand(
            GetStock.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.view(productId)))
        .build();
  }

  private ReplyEffect<Event, State> onRestock(State state, Restock cmd) {
    if (state.appliedRestocks().contains(cmd.restockId())) {
      return Effect().reply(cmd.replyTo(), StatusReply.success(state.view(productId)));
    }
    if (cmd.quantity() <= 0) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("quantity must be positive"));
    }
    WarehouseStock warehouse = state.warehouses().get(cmd.warehouseId());
    if (warehouse != null && !warehouse.region().equals(cmd.region())) {
      return Effect()
          .reply(
              cmd.replyTo(),
              StatusReply.error(
                  "warehouse " + cmd.warehouseId() + " belongs to region " + warehouse.region()));
    }
    if (warehouse != null && (long) warehouse.received() + cmd.quantity() > Integer.MAX_VALUE) {
      return Effect().reply(cmd.replyTo(), StatusReply.error("quantity too large"));
    }
    return Effect()
        .persist(
            new StockReceived(cmd.restockId(), cmd.warehouseId(), cmd.region(), cmd.quantity()))
        .thenReply(cmd.replyTo(), updated -> StatusReply.success(updated.view(productId)));
  }

  private ReplyEffect<Event, State> onReserve(State state, Reserve cmd) {
    List<Allocation> existing = state.reservations().get(cmd.orderId());
    if (existing != null) {
      return Effect().reply(cmd.replyTo(), new Reserved(cmd.orderId(), existing));
    }
    Ending ending = state.endedOrders().get(cmd.orderId());
    if (ending != null) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new Refused(cmd.orderId(), "order already " + ending.name().toLowerCase()));
    }
    if (cmd.quantity() <= 0) {
      return Effect().reply(cmd.replyTo(), new Refused(cmd.orderId(), "quantity must be positive"));
    }
    Optional<List<Allocation>> allocations = state.allocate(cmd.quantity(), cmd.region());
    if (allocations.isEmpty()) {
      return Effect()
          .reply(
              cmd.replyTo(),
              new Refused(
                  cmd.orderId(),
                  "out of stock: requested "
                      + cmd.quantity()
                      + ", available "
                      + state.available()));
    }
    return Effect()
        .persist(new StockReserved(cmd.orderId(), allocations.get()))
        .thenReply(cmd.replyTo(), updated -> new Reserved(cmd.orderId(), allocations.get()));
  }

  private ReplyEffect<Event, State> onRelease(State state, Release cmd) {
    if (state.endedOrders().containsKey(cmd.orderId())) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    // Releasing an order that holds nothing still closes it here, so that a Reserve still in
    // flight from that order is refused instead of leaving a reservation nobody will end.
    List<Allocation> allocations = state.reservations().getOrDefault(cmd.orderId(), List.of());
    return Effect()
        .persist(new StockReleased(cmd.orderId(), allocations))
        .thenReply(cmd.replyTo(), updated -> Done.getInstance());
  }

  private ReplyEffect<Event, State> onCommit(State state, Commit cmd) {
    List<Allocation> allocations = state.reservations().get(cmd.orderId());
    if (allocations == null) {
      return Effect().reply(cmd.replyTo(), Done.getInstance());
    }
    return Effect()
        .persist(new StockCommitted(cmd.orderId(), allocations))
        .thenReply(cmd.replyTo(), updated -> Done.getInstance());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
