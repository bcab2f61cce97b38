package order;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A carrier that hangs on demand and, like the real one, answers a repeated request the same. */
final class FakeCarrier implements Carrier {
  final Map<String, Shipment> shipments = new ConcurrentHashMap<>();
  final AtomicInteger calls = new AtomicInteger();

  /** While set, requests never answer: the order is stuck in its shipment step. */
  volatile boolean hang;

  @Override
  public CompletionStage<Shipment> ship(String orderId) {
    calls.incrementAndGet();
    if (hang) {
      return new CompletableFuture<>();
    }
    return CompletableFuture.completedFuture(
        shipments.computeIfAbsent(
            orderId, id -> new Shipment("Fake Parcels", "FP" + calls.get(), Instant.now())));
  }
}
