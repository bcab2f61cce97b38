package inventory;

import akka.actor.typed.ActorRef;
import common.Rejection;
import common.Reply;
import inventory.ProductStock.Allocation;
import inventory.ProductStock.Change;
import inventory.ProductStock.Reserved;
import inventory.ProductStock.State;
import inventory.ProductStock.StockCommitted;
import inventory.ProductStock.StockReceived;
import inventory.ProductStock.StockReleased;
import inventory.ProductStock.StockView;
import inventory.ProductStock.UnitsReserved;
import inventory.ProductStock.WarehouseStock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import scala.Option;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.HashSet;
import scala.collection.immutable.HashSet$;
import scala.collection.immutable.Queue;
import scala.collection.immutable.Queue$;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What was decided while a write was in flight, to be written together as one event: the changes,
 * and the answer owed to each command's sender. Decisions see the persisted state plus what the
 * batch already holds, so every invariant holds for the batch as a whole; every answer waits until
 * the batch is written, so nothing is promised that a failed write could take back. This lifts a
 * hot product (a flash sale) above one database round trip per reservation.
 *
 * <p>Immutable: each decision makes a new batch. A flash sale decides thousands of commands into
 * one batch, so what grows with it (the changes, the answers, the orders it touched) is held in
 * Scala's persistent collections (scala-library comes with Akka), which share what they hold with
 * the batch before instead of copying it: copying Java collections per command would cost O(n²) per
 * batch. What it adds per warehouse is small (a product has a few) and is copied. A class, not a
 * record, so that those collections stay inside it.
 */
final class StockBatch {

  /**
   * What one command decided: the change it adds to the batch (null when it changes nothing) and
   * the answer owed to its sender once the batch is written. A command that joins a batch decides
   * through one of these, so it cannot leave its sender unanswered.
   */
  record Decision(Change change, PendingReply reply, boolean refusesReservation) {
    Decision {
      Objects.requireNonNull(reply, "a decision answers its command's sender");
    }

    static Decision write(Change change, PendingReply reply) {
      return new Decision(Objects.requireNonNull(change), reply, false);
    }

    /** Changes nothing; answered after the batch in front of it, which it was decided against. */
    static Decision answer(PendingReply reply) {
      return new Decision(null, reply, false);
    }

    /** Changes nothing; counted as a refused reservation when answered (ReservationMetrics). */
    static Decision refuseReservation(ActorRef<Reply<Reserved>> replyTo, Rejection why) {
      return new Decision(null, new PendingReply.Decided<>(replyTo, Reply.rejected(why)), true);
    }
  }

  /** An answer owed to a command's sender, sent once the batch it was decided in is written. */
  sealed interface PendingReply {
    void send(State written, String productId);

    /** An answer decided with the command. */
    record Decided<T>(ActorRef<Reply<T>> replyTo, Reply<T> reply) implements PendingReply {
      @Override
      public void send(State written, String productId) {
        replyTo.tell(reply);
      }
    }

    /** Accepted, with the product's stock as written: what a restock answers. */
    record StockAsWritten(ActorRef<Reply<StockView>> replyTo) implements PendingReply {
      @Override
      public void send(State written, String productId) {
        replyTo.tell(Reply.accepted(written.view(productId)));
      }
    }
  }

  /** What the batch adds to one warehouse; the region its first restock in the batch gave. */
  private record WarehouseDelta(String region, int available, long received) {
    WarehouseDelta plus(WarehouseDelta more) {
      return new WarehouseDelta(
          region != null ? region : more.region,
          available + more.available,
          received + more.received);
    }
  }

  static final StockBatch EMPTY =
      new StockBatch(
          Queue$.MODULE$.empty(),
          Queue$.MODULE$.empty(),
          Map.of(),
          HashMap$.MODULE$.empty(),
          HashSet$.MODULE$.empty(),
          Set.of(),
          0);

  private final Queue<Change> changes;
  private final Queue<PendingReply> replies;
  private final Map<String, WarehouseDelta> warehouses;
  private final scala.collection.immutable.HashMap<String, List<Allocation>> reserved;
  private final HashSet<String> ended;
  private final Set<String> restocks;
  private final int refusedReservations;

  private StockBatch(
      Queue<Change> changes,
      Queue<PendingReply> replies,
      Map<String, WarehouseDelta> warehouses,
      scala.collection.immutable.HashMap<String, List<Allocation>> reserved,
      HashSet<String> ended,
      Set<String> restocks,
      int refusedReservations) {
    this.changes = changes;
    this.replies = replies;
    this.warehouses = warehouses;
    this.reserved = reserved;
    this.ended = ended;
    this.restocks = restocks;
    this.refusedReservations = refusedReservations;
  }

  /** Nothing decided: no change to write, nobody to answer. */
  boolean isEmpty() {
    return changes.isEmpty() && replies.isEmpty();
  }

  /** The batch with a command's decision: its change, if any, and the answer it owes. */
  StockBatch with(Decision decision) {
    StockBatch changed = decision.change() == null ? this : withChange(decision.change());
    return new StockBatch(
        changed.changes,
        changed.replies.enqueue(decision.reply()),
        changed.warehouses,
        changed.reserved,
        changed.ended,
        changed.restocks,
        changed.refusedReservations + (decision.refusesReservation() ? 1 : 0));
  }

  /** The batch with a change that nobody waits for (a planned restock that came due). */
  StockBatch withChange(Change change) {
    Map<String, WarehouseDelta> warehouses = this.warehouses;
    var reserved = this.reserved;
    HashSet<String> ended = this.ended;
    Set<String> restocks = this.restocks;
    if (change instanceof StockReceived e) {
      warehouses =
          plus(
              warehouses,
              e.warehouseId(),
              new WarehouseDelta(e.region(), e.quantity(), e.quantity()));
      restocks = Set.copyOf(Stream.concat(restocks.stream(), Stream.of(e.restockId())).toList());
    } else if (change instanceof UnitsReserved e) {
      warehouses = taken(warehouses, e.allocations(), -1);
      reserved = reserved.updated(e.orderId(), e.allocations());
    } else if (change instanceof StockReleased e) {
      warehouses = taken(warehouses, e.allocations(), 1);
      reserved = reserved.removed(e.orderId());
      ended = ended.incl(e.orderId());
    } else if (change instanceof StockCommitted e) {
      reserved = reserved.removed(e.orderId());
      ended = ended.incl(e.orderId());
    }
    return new StockBatch(
        changes.enqueue(change),
        replies,
        warehouses,
        reserved,
        ended,
        restocks,
        refusedReservations);
  }

  private static Map<String, WarehouseDelta> plus(
      Map<String, WarehouseDelta> warehouses, String warehouseId, WarehouseDelta delta) {
    Map<String, WarehouseDelta> next = new HashMap<>(warehouses);
    next.merge(warehouseId, delta, WarehouseDelta::plus);
    return Map.copyOf(next);
  }

  /** The allocations' units taken from (sign -1) or given back to (1) their warehouses. */
  private static Map<String, WarehouseDelta> taken(
      Map<String, WarehouseDelta> warehouses, List<Allocation> allocations, int sign) {
    Map<String, WarehouseDelta> next = new HashMap<>(warehouses);
    allocations.forEach(
        a ->
            next.merge(
                a.warehouseId(),
                new WarehouseDelta(null, sign * a.quantity(), 0),
                WarehouseDelta::plus));
    return Map.copyOf(next);
  }

  /** The changes decided, in the order they were. */
  List<Change> changes() {
    return List.copyOf(CollectionConverters.asJava(changes));
  }

  /** The answers owed, in the order the commands were decided. */
  List<PendingReply> replies() {
    return List.copyOf(CollectionConverters.asJava(replies));
  }

  /** Reservations the batch makes (a repeated one is answered, not made again). */
  int newReservations() {
    return (int) changes().stream().filter(UnitsReserved.class::isInstance).count();
  }

  int refusedReservations() {
    return refusedReservations;
  }

  /** The order's open reservation, counting this batch; null when it holds none. */
  List<Allocation> reservation(State state, String orderId) {
    Option<List<Allocation>> pending = reserved.get(orderId);
    if (pending.isDefined()) {
      return pending.get();
    }
    return ended.contains(orderId) ? null : state.reservations().get(orderId);
  }

  boolean restockApplied(State state, String restockId) {
    return restocks.contains(restockId) || state.appliedRestocks().contains(restockId);
  }

  /**
   * Whether a remembered restock has the key of this one ({@code key:<key>#<fingerprint>}) but
   * another fingerprint: the key was used for a different restock.
   */
  boolean restockKeyUsedOtherwise(State state, String restockId) {
    int fingerprint = restockId.indexOf('#');
    if (!restockId.startsWith("key:") || fingerprint < 0) {
      return false;
    }
    String key = restockId.substring(0, fingerprint + 1);
    return Stream.concat(restocks.stream(), state.appliedRestocks().stream())
        .anyMatch(id -> id.startsWith(key) && !id.equals(restockId));
  }

  String region(State state, String warehouseId) {
    WarehouseStock persisted = state.warehouses().get(warehouseId);
    if (persisted != null) {
      return persisted.region();
    }
    WarehouseDelta added = warehouses.get(warehouseId);
    return added == null ? null : added.region();
  }

  /** Units the product received in all its warehouses, counting this batch. */
  long received(State state) {
    return warehouses(state).stream().mapToLong(w -> received(state, w)).sum();
  }

  private long received(State state, String warehouseId) {
    WarehouseStock persisted = state.warehouses().get(warehouseId);
    WarehouseDelta added = warehouses.get(warehouseId);
    return (persisted == null ? 0 : persisted.received()) + (added == null ? 0 : added.received());
  }

  int available(State state) {
    return warehouses(state).stream().mapToInt(w -> available(state, w)).sum();
  }

  private int available(State state, String warehouseId) {
    WarehouseStock persisted = state.warehouses().get(warehouseId);
    WarehouseDelta added = warehouses.get(warehouseId);
    return (persisted == null ? 0 : persisted.available())
        + (added == null ? 0 : added.available());
  }

  private Set<String> warehouses(State state) {
    return Set.copyOf(
        Stream.concat(state.warehouses().keySet().stream(), warehouses.keySet().stream()).toList());
  }

  /** Takes units from the shopper's region first, then from the others, in a stable order. */
  Optional<List<Allocation>> allocate(State state, int quantity, String region) {
    if (available(state) < quantity) {
      return Optional.empty();
    }
    List<String> ordered = new ArrayList<>(warehouses(state));
    ordered.sort(
        Comparator.<String>comparingInt(w -> region.equals(region(state, w)) ? 0 : 1)
            .thenComparing(Comparator.naturalOrder()));
    List<Allocation> allocations = new ArrayList<>();
    int missing = quantity;
    for (String warehouse : ordered) {
      int take = Math.min(missing, available(state, warehouse));
      if (take > 0) {
        allocations.add(new Allocation(warehouse, take));
        missing -= take;
      }
      if (missing == 0) {
        break;
      }
    }
    return Optional.of(List.copyOf(allocations));
  }
}
