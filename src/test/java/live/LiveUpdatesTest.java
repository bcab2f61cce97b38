package live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.stream.BufferOverflowException;
import akka.stream.testkit.TestSubscriber;
import akka.stream.testkit.javadsl.TestSink;
import common.EntityTestKits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.concurrent.duration.FiniteDuration;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A client gets what it follows and nothing else, starting with the last level the hub handed on;
 * one that does not keep up is disconnected once its buffer is full, instead of holding anything
 * up.
 */
class LiveUpdatesTest {
  private static final int BUFFER = 4;
  private static ActorTestKit testKit;
  private static LiveUpdates live;

  @BeforeAll
  static void start() {
    testKit = EntityTestKits.create("LiveUpdatesTest");
    live = LiveUpdates.start(testKit.system(), new LiveSettings(Duration.ofSeconds(15), BUFFER));
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aClientGetsWhatItFollowsAndIsDisconnectedWhenItFallsTooFarBehind() {
    UUID followed = UUID.randomUUID();
    UUID other = UUID.randomUUID();
    TestSubscriber.Probe<LiveEvent> client =
        live.subscribe(new Interest.Products(Set.of(followed)))
            .runWith(TestSink.probe(testKit.system().classicSystem()), testKit.system());
    client.request(1);
    // Subscribing to the topic is asynchronous: publish until the first level arrives.
    LiveEvent first = null;
    for (int attempt = 0; attempt < 50 && first == null; attempt++) {
      live.publish(level(other, attempt));
      live.publish(level(followed, attempt));
      List<LiveEvent> received =
          CollectionConverters.asJava(client.receiveWithin(FiniteDuration.create(200, "ms"), 1));
      first = received.isEmpty() ? null : received.get(0);
    }
    assertInstanceOf(LiveEvent.StockLevel.class, first);
    assertEquals(followed, ((LiveEvent.StockLevel) first).productId(), "only what it follows");

    // It asks for nothing more: the buffer fills, and the next event ends its stream.
    for (int i = 0; i < BUFFER + 1; i++) {
      live.publish(level(followed, 100 + i));
    }
    Throwable error = client.expectError();
    assertInstanceOf(BufferOverflowException.class, error, error.toString());
  }

  @Test
  void aNewClientGetsTheLastLevelPublishedBeforeItCameWithoutWaitingForTheNext()
      throws InterruptedException {
    UUID product = UUID.randomUUID();
    TestSubscriber.Probe<LiveEvent> witness = client(product);
    witness.request(1);
    LiveEvent seen = null;
    for (int attempt = 0; attempt < 50 && seen == null; attempt++) {
      live.publish(level(product, attempt));
      List<LiveEvent> received =
          CollectionConverters.asJava(witness.receiveWithin(FiniteDuration.create(200, "ms"), 1));
      seen = received.isEmpty() ? null : received.get(0);
    }
    assertInstanceOf(LiveEvent.StockLevel.class, seen, "the hub hands levels on");
    Thread.sleep(500); // whatever was still on its way has reached the hub

    TestSubscriber.Probe<LiveEvent> latecomer = client(product);
    latecomer.request(1);
    LiveEvent first = latecomer.expectNext(FiniteDuration.create(3, "s"));
    assertInstanceOf(LiveEvent.StockLevel.class, first);
    assertEquals(product, ((LiveEvent.StockLevel) first).productId());
    witness.cancel();
    latecomer.cancel();
  }

  private static TestSubscriber.Probe<LiveEvent> client(UUID product) {
    return live.subscribe(new Interest.Products(Set.of(product)))
        .runWith(TestSink.probe(testKit.system().classicSystem()), testKit.system());
  }

  private static LiveEvent.StockLevel level(UUID product, int available) {
    return new LiveEvent.StockLevel(product, available, 0, 0, Instant.now());
  }
}
