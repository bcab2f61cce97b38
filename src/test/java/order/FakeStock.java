package order;

import akka.Done;
import common.Rejection;
import common.Reply;
import inventory.ProductStock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/** Product stock in memory with the same idempotency per order as ProductStock. */
final class FakeStock implements StockReservations {
  private final Map<String, Integer> available = new HashMap<>();
  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, Integer> sold = new HashMap<>();
  private final Map<String, String> ended = new HashMap<>();
  final AtomicInteger failuresToInject = new AtomicInteger();
  final AtomicInteger reserveCalls = new AtomicInteger();

  synchronized void put(String productId, int units) {
    available.put(productId, units);
  }

  synchronized int available(String productId) {
    return available.getOrDefault(productId, 0);
  }

  synchronized int reserved(String productId) {
    return reserved.entrySet().stream()
        .filter(e -> e.getKey().startsWith(productId + "/"))
        .mapToInt(Map.Entry::getValue)
        .sum();
  }

  synchronized int sold(String productId) {
    return sold.getOrDefault(productId, 0);
  }

  private <T> CompletionStage<T> answer(java.util.function.Supplier<T> step) {
    if (failuresToInject.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return CompletableFuture.failedFuture(new RuntimeException("stock shard unavailable"));
    }
    synchronized (this) {
      return CompletableFuture.completedFuture(step.get());
    }
  }

  @Override
  public CompletionStage<Reply<ProductStock.Reserved>> reserve(
      String productId, String orderId, int quantity, String region) {
    reserveCalls.incrementAndGet();
    String key = productId + "/" + orderId;
    return answer(
        () -> {
          if (reserved.containsKey(key)) {
            return Reply.accepted(new ProductStock.Reserved(orderId, List.of()));
          }
          if (ended.containsKey(key)) {
            return Reply.<ProductStock.Reserved>rejected(
                Rejection.conflict("order already " + ended.get(key)));
          }
          int units = available.getOrDefault(productId, 0);
          if (units < quantity) {
            return Reply.<ProductStock.Reserved>rejected(Rejection.conflict("out of stock"));
          }
          available.put(productId, units - quantity);
          reserved.put(key, quantity);
          return Reply.accepted(new ProductStock.Reserved(orderId, List.of()));
        });
  }

  @Override
  public CompletionStage<Done> release(String productId, String orderId) {
    String key = productId + "/" + orderId;
    return answer(
        () -> {
          Integer units = reserved.remove(key);
          if (units != null) {
            available.merge(productId, units, Integer::sum);
          }
          ended.putIfAbsent(key, "released");
          return Done.getInstance();
        });
  }

  @Override
  public CompletionStage<Done> commit(String productId, String orderId) {
    String key = productId + "/" + orderId;
    return answer(
        () -> {
          Integer units = reserved.remove(key);
          if (units != null) {
            sold.merge(productId, units, Integer::sum);
            ended.put(key, "committed");
          }
          return Done.getInstance();
        });
  }
}
