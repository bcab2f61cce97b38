package storefront.node;

import akka.actor.typed.ActorSystem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
import metrics.NodeMetrics;
import metrics.Poller;
import storefront.node.ReadSideProjections.ReadSide;

/**
 * storefront.projection.lag (the age of the oldest event waiting for a projection, the most over
 * its instances; 0 when none waits) and storefront.projection.waiting.events, from {@link
 * ProjectionStatus} polled: its queries cost too much to run at every scrape. Both are NaN,
 * unknown, until a poll succeeds and again while polls fail (the database away): a lag shown as it
 * was before an outage would hide the outage from an alert.
 */
final class ProjectionLag {
  private final String projection;
  private volatile double lagSeconds = Double.NaN;
  private volatile double waitingEvents = Double.NaN;

  private ProjectionLag(String projection, MeterRegistry registry) {
    this.projection = projection;
    Gauge.builder("storefront.projection.lag", this, lag -> lag.lagSeconds)
        .description("Age of the oldest event waiting for the projection")
        .baseUnit("seconds")
        .tag("projection", projection)
        .strongReference(true)
        .register(registry);
    Gauge.builder("storefront.projection.waiting.events", this, lag -> lag.waitingEvents)
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
        // Not the other gauges' 5 s: these are the same dear, cluster-wide queries on every node.
        system.settings().config().getDuration("storefront.metrics.projection-lag-poll"),
        () ->
            status
                .all()
                .whenComplete(
                    (instances, failure) ->
                        lags.forEach(
                            lag -> {
                              if (failure == null) {
                                lag.update(instances);
                              } else {
                                lag.unknown();
                              }
                            })));
  }

  private void update(List<ProjectionStatus.Instance> instances) {
    List<ProjectionStatus.Instance> mine =
        instances.stream().filter(i -> i.projection().equals(projection)).toList();
    lagSeconds =
        mine.stream()
                .map(ProjectionStatus.Instance::oldestWaitingEventAgeMs)
                .filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0)
            / 1000.0;
    waitingEvents = mine.stream().mapToLong(ProjectionStatus.Instance::waitingEvents).sum();
  }

  private void unknown() {
    lagSeconds = Double.NaN;
    waitingEvents = Double.NaN;
  }
}
