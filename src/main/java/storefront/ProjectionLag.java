package storefront;

import akka.actor.typed.ActorSystem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import metrics.NodeMetrics;
import metrics.Poller;
import storefront.ReadSideProjections.ReadSide;

/**
 * storefront.projection.lag (the age of the oldest event waiting for a projection, the most over
 * its instances; 0 when none waits) and storefront.projection.waiting.events, from {@link
 * ProjectionStatus} polled: its queries cost too much to run at every scrape.
 */
final class ProjectionLag {
  /**
   * Every node polls the same cluster-wide figures, 3 queries per projection instance: at
   * Prometheus' default scrape interval rather than the other gauges' 5 s, a third of the load.
   */
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(15);

  private final String projection;
  private final AtomicLong lagMs = new AtomicLong();
  private final AtomicLong waiting = new AtomicLong();

  private ProjectionLag(String projection, MeterRegistry registry) {
    this.projection = projection;
    Gauge.builder("storefront.projection.lag", lagMs, ms -> ms.get() / 1000.0)
        .description("Age of the oldest event waiting for the projection")
        .baseUnit("seconds")
        .tag("projection", projection)
        .strongReference(true)
        .register(registry);
    Gauge.builder("storefront.projection.waiting.events", waiting, AtomicLong::get)
        .description("Events waiting for the projection")
        .tag("projection", projection)
        .strongReference(true)
        .register(registry);
  }

  static void start(ActorSystem<?> system, List<ReadSide> readSides) {
    MeterRegistry registry = NodeMetrics.get(system).registry();
    List<ProjectionLag> lags =
        readSides.stream().map(readSide -> new ProjectionLag(readSide.name(), registry)).toList();
    ProjectionStatus status = new ProjectionStatus(system, readSides);
    Poller.every(
        system,
        "the projections' status",
        POLL_INTERVAL,
        () -> status.all().thenAccept(instances -> lags.forEach(lag -> lag.update(instances))));
  }

  private void update(List<ProjectionStatus.Instance> instances) {
    List<ProjectionStatus.Instance> mine =
        instances.stream().filter(i -> i.projection().equals(projection)).toList();
    lagMs.set(
        Math.round(
            mine.stream()
                .map(ProjectionStatus.Instance::oldestWaitingEventAgeMs)
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0)));
    waiting.set(mine.stream().mapToLong(ProjectionStatus.Instance::waitingEvents).sum());
  }
}
