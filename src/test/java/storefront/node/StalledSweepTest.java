package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import common.Stalled;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sweeper moves past processes that never progress, and wakes with a bounded number of asks in
 * flight. The stalled processes are a list in memory here; their SQL is StalledQueriesTest's.
 */
class StalledSweepTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create("StalledSweepTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void everyStalledProcessIsWokenAlthoughTheOldestNeverProgress() {
    // Twelve stalled processes; waking changes nothing (the worst case: all poison), but the
    // sweep must still reach each of them, page after page.
    List<Stalled> stalled = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      stalled.add(
          new Stalled(UUID.randomUUID(), Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i)));
    }
    stalled.sort(Comparator.comparing(Stalled::updatedAt).thenComparing(Stalled::id));
    Set<String> woken = ConcurrentHashMap.newKeySet();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    StalledSweep sweep =
        new StalledSweep(
            "test",
            (after, size) -> CompletableFuture.completedFuture(pageAfter(stalled, after, size)),
            id -> {
              mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
              woken.add(id);
              return CompletableFuture.supplyAsync(
                      () -> null, CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS))
                  .whenComplete((r, e) -> inFlight.decrementAndGet());
            },
            5,
            2);

    for (int i = 0; i < 3; i++) {
      sweep.next(testKit.system()).toCompletableFuture().join();
    }
    assertEquals(12, woken.size(), "three pages of five reach all twelve");
    assertTrue(mostInFlight.get() <= 2, "asks in flight: " + mostInFlight.get());

    woken.clear();
    sweep.next(testKit.system()).toCompletableFuture().join();
    assertEquals(5, woken.size(), "after the last page the sweep starts again from the oldest");
    assertTrue(woken.contains(stalled.get(0).id().toString()));
  }

  @Test
  void aFailedPageOrWakeOnlyWaitsForTheNextSweep() {
    Stalled one = new Stalled(UUID.randomUUID(), Instant.EPOCH.plusSeconds(1));
    AtomicInteger pages = new AtomicInteger();
    StalledSweep sweep =
        new StalledSweep(
            "test",
            (after, size) ->
                pages.incrementAndGet() == 1
                    ? CompletableFuture.failedFuture(new IllegalStateException("database away"))
                    : CompletableFuture.completedFuture(List.of(one)),
            id -> CompletableFuture.failedFuture(new IllegalStateException("no answer")),
            5,
            2);
    sweep.next(testKit.system()).toCompletableFuture().join();
    sweep.next(testKit.system()).toCompletableFuture().join();
    assertEquals(2, pages.get());
  }

  private static List<Stalled> pageAfter(List<Stalled> all, Stalled after, int size) {
    Comparator<Stalled> order = Comparator.comparing(Stalled::updatedAt).thenComparing(Stalled::id);
    return all.stream().filter(s -> order.compare(s, after) > 0).limit(size).toList();
  }
}
