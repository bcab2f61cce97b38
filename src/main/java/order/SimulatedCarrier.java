package order;

import akka.actor.typed.ActorSystem;
import akka.pattern.Patterns;
import com.typesafe.config.Config;
import io.r2dbc.spi.Row;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import order.payment.Ledger;

/**
 * A carrier stand-in that behaves like a real one: it takes time, fails a share of requests, and
 * answers a shipment with a tracking number (its prefix and 12 digits). Half of its failures lose
 * the request, the other half lose the answer after the shipment was made, as a timeout does. Its
 * ledger is a table of its own, keyed by order id, so a retried request answers the shipment made
 * first whichever node asks: an order never ships twice.
 */
public final class SimulatedCarrier implements Carrier {
  private static final int TRACKING_DIGITS = 12;

  /** The simulated carrier did not answer; whether the shipment was made is for a retry to see. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  private final ActorSystem<?> system;
  private final String name;
  private final String trackingPrefix;
  private final Duration latency;
  private final double failureRate;
  private final RandomGenerator random = new SecureRandom();

  public SimulatedCarrier(
      ActorSystem<?> system,
      String name,
      String trackingPrefix,
      Duration latency,
      double failureRate) {
    if (failureRate < 0 || failureRate > 1) {
      throw new IllegalArgumentException("failure rate must be within 0..1: " + failureRate);
    }
    this.system = system;
    this.name = name;
    this.trackingPrefix = trackingPrefix;
    this.latency = latency;
    this.failureRate = failureRate;
  }

  public static SimulatedCarrier fromConfig(ActorSystem<?> system, Config storefront) {
    Config carrier = storefront.getConfig("carrier");
    return new SimulatedCarrier(
        system,
        carrier.getString("name"),
        carrier.getString("tracking-prefix"),
        carrier.getDuration("latency"),
        carrier.getDouble("failure-rate"));
  }

  @Override
  public CompletionStage<Shipment> ship(String orderId) {
    Shipment attempt = new Shipment(name, trackingNumber(), Instant.now());
    double draw = random.nextDouble();
    return Patterns.after(
        latency,
        system.classicSystem().scheduler(),
        system.executionContext(),
        () -> {
          if (draw < failureRate / 2) {
            return CompletableFuture.failedFuture(
                new Unavailable("the request for order " + orderId + " was lost"));
          }
          return record(orderId, attempt)
              .thenApply(
                  shipment -> {
                    if (draw < failureRate) {
                      throw new Unavailable("the answer for order " + orderId + " was lost");
                    }
                    return shipment;
                  });
        });
  }

  private String trackingNumber() {
    StringBuilder number = new StringBuilder(trackingPrefix);
    for (int i = 0; i < TRACKING_DIGITS; i++) {
      number.append(random.nextInt(10));
    }
    return number.toString();
  }

  /** Records the shipment unless the order shipped before, and answers what is recorded. */
  private CompletionStage<Shipment> record(String orderId, Shipment attempt) {
    return Ledger.recordOnce(
        system,
        "carrier_shipments",
        "order_id, carrier, tracking_number, created_at",
        "carrier, tracking_number, created_at",
        statement ->
            statement
                .bind(0, orderId)
                .bind(1, attempt.carrier())
                .bind(2, attempt.trackingNumber())
                .bind(3, attempt.shippedAt().atOffset(ZoneOffset.UTC)),
        SimulatedCarrier::shipment,
        "the shipment of order " + orderId);
  }

  private static Shipment shipment(Row row) {
    return new Shipment(
        row.get("carrier", String.class),
        row.get("tracking_number", String.class),
        row.get("created_at", OffsetDateTime.class).toInstant());
  }
}
