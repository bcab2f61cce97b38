package inventory;

import inventory.ProductStock.Allocation;
import inventory.ProductStock.Change;
import inventory.ProductStock.State;
import inventory.ProductStock.StockCommitted;
import inventory.ProductStock.StockReceived;
import inventory.ProductStock.StockReleased;
import inventory.ProductStock.UnitsReserved;
import inventory.ProductStock.WarehouseStock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Commands decided while a write is in flight, persisted together as one event. Decisions see the
 * persisted state plus what the batch already holds, so every invariant holds for the batch as a
 * whole; every reply waits until the batch is written. This lifts a hot product (a flash sale)
 * above one database round trip per reservation.
 */
final class StockBatch {
  private final List<Change> changes = new ArrayList<>();
  private final List<Consumer<State>> replies = new ArrayList<>();
  private final Map<String, Integer> availableDelta = new HashMap<>();
  private final Map<String, Long> receivedDelta = new HashMap<>();
  private final Map<String, String> newWarehouseRegions = new HashMap<>();
  private final Map<String, List<Allocation>> reserved = new HashMap<>();
  private final Set<String> ended = new HashSet<>();
  private final Set<String> restocks = new HashSet<>();

  List<Change> changes() {
    return List.copyOf(changes);
  }

  List<Consumer<State>> replies() {
    return List.copyOf(replies);
  }

  /** Adds a change and the reply to send once it is written. */
  void add(Change change, Consumer<State> reply) {
    changes.add(change);
    replies.add(reply);
    if (change instanceof StockReceived e) {
      newWarehouseRegions.putIfAbsent(e.warehouseId(), e.region());
      availableDelta.merge(e.warehouseId(), e.quantity(), Integer::sum);
      receivedDelta.merge(e.warehouseId(), (long) e.quantity(), Long::sum);
      restocks.add(e.restockId());
    } else if (change instanceof UnitsReserved e) {
      e.allocations()
          .forEach(a -> availableDelta.merge(a.warehouseId(), -a.quantity(), Integer::sum));
      reserved.put(e.orderId(), e.allocations());
    } else if (change instanceof StockReleased e) {
      e.allocations()
          .forEach(a -> availableDelta.merge(a.warehouseId(), a.quantity(), Integer::sum));
      reserved.remove(e.orderId());
      ended.add(e.orderId());
    } else if (change instanceof StockCommitted e) {
      reserved.remove(e.orderId());
      ended.add(e.orderId());
    }
  }

  /** A reply that changes nothing but must not overtake the batch it was decided against. */
  void addReply(Consumer<State> reply) {
    replies.add(reply);
  }

  /** The order's open reservation, counting this batch; null when it holds none. */
  List<Allocation> reservation(State state, String orderId) {
    List<Allocation> pending = reserved.get(orderId);
    if (pending != null) {
      return pending;
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
    return persisted != null ? persisted.region() : newWarehouseRegions.get(warehouseId);
  }

  /** Units the product received in all its warehouses, counting this batch. */
  long received(State state) {
    return warehouses(state).stream().mapToLong(w -> received(state, w)).sum();
  }

  private long received(State state, String warehouseId) {
    WarehouseStock persisted = state.warehouses().get(warehouseId);
    return (persisted == null ? 0 : persisted.received())
        + receivedDelta.getOrDefault(warehouseId, 0L);
  }

  int available(State state) {
    return warehouses(state).stream().mapToInt(w -> available(state, w)).sum();
  }

  private int available(State state, String warehouseId) {
    WarehouseStock persisted = state.warehouses().get(warehouseId);
    return (persisted == null ? 0 : persisted.available())
        + availableDelta.getOrDefault(warehouseId, 0);
  }

  private Set<String> warehouses(State state) {
    Set<String> all = new HashSet<>(state.warehouses().keySet());
    all.addAll(newWarehouseRegions.keySet());
    return all;
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
