package inventory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.ProcessingSuccess$;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The in-memory journal as one product sees it: counts the product's writes and, on demand, holds
 * one in flight, so that a test decides which commands arrive while a write is in flight instead of
 * leaving it to timing. Commands sent while a write is held are all decided into the next batch, in
 * the order they were sent.
 */
final class ProductJournal implements AutoCloseable {
  /** How long a held write or a test waits at most: only a failing test waits this long. */
  static final Duration PATIENCE = Duration.ofSeconds(20);

  /** Settings for tests of the counts: no restock after a sell-out, no low-stock warning. */
  static final InventorySettings SETTINGS = new InventorySettings(Duration.ofSeconds(15), 0, 0);

  private final ActorTestKit testKit;
  private final PersistenceTestKit kit;
  private final String productId;
  private final String persistenceId;
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicReference<HeldWrite> next = new AtomicReference<>();
  private final List<HeldWrite> held = new CopyOnWriteArrayList<>();

  /** The journal of a new product, with an id of its own. */
  ProductJournal(ActorTestKit testKit) {
    this.testKit = testKit;
    this.kit = PersistenceTestKit.create(testKit.system());
    this.productId = UUID.randomUUID().toString();
    this.persistenceId = ProductStock.ENTITY_KEY.name() + "|" + productId;
    kit.withPolicy(
        (id, operation) -> {
          if (id.equals(persistenceId) && operation instanceof WriteEvents) {
            writes.incrementAndGet();
            HeldWrite write = next.getAndSet(null);
            if (write != null) {
              write.holdUntilReleased();
            }
          }
          return ProcessingSuccess$.MODULE$;
        });
  }

  String productId() {
    return productId;
  }

  /** Starts the product's stock entity (again, after it was stopped). */
  ActorRef<ProductStock.Command> spawnEntity() {
    return spawnEntity(SETTINGS);
  }

  /** Starts the product's stock entity with these settings. */
  ActorRef<ProductStock.Command> spawnEntity(InventorySettings settings) {
    return testKit.spawn(ProductStock.create(productId, settings));
  }

  /** The product's writes so far. */
  int writes() {
    return writes.get();
  }

  /**
   * Tells the entity the first command and holds the write it causes in the journal while the
   * others are told, then lets it go: the others are all decided into the one batch after it, in
   * the order given.
   */
  void sendDuringWriteOf(
      ActorRef<ProductStock.Command> entity,
      ProductStock.Command first,
      List<? extends ProductStock.Command> others)
      throws InterruptedException {
    HeldWrite write = new HeldWrite();
    held.add(write);
    next.set(write);
    entity.tell(first);
    write.awaitInFlight();
    others.forEach(entity::tell);
    write.release();
  }

  /** The product's events as written. */
  List<Object> events() {
    return kit.persistedInStorage(persistenceId);
  }

  /** Lets every held write go (a failed test may leave one) and stops holding or counting. */
  @Override
  public void close() {
    next.set(null);
    held.forEach(HeldWrite::release);
    kit.resetPolicy();
  }

  private static final class HeldWrite {
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    private void holdUntilReleased() {
      started.countDown();
      try {
        released.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    /** Returns once the write has reached the journal, where it waits. */
    private void awaitInFlight() throws InterruptedException {
      assertTrue(started.await(PATIENCE.toSeconds(), TimeUnit.SECONDS), "the write started");
    }

    private void release() {
      released.countDown();
    }
  }
}
