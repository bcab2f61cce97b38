package metrics;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The node's meters, one registry per actor system: tests run several nodes in one JVM, and a
 * global registry would add their counts together. GET /metrics serves them in Prometheus' text
 * format.
 */
public final class NodeMetrics implements Extension {
  private static final ExtensionId<NodeMetrics> ID =
      new ExtensionId<>() {
        @Override
        public NodeMetrics createExtension(ActorSystem<?> system) {
          return new NodeMetrics(system);
        }
      };

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private NodeMetrics(ActorSystem<?> system) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // It listens to the JVM's GC notifications until closed.
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    system.getWhenTerminated().thenRun(gc::close);
  }

  public static NodeMetrics get(ActorSystem<?> system) {
    return ID.apply(system);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Every meter in Prometheus' text format, version 0.0.4. */
  String scrape() {
    return registry.scrape();
  }
}
