package metrics;

import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.ConnectionFactoryProvider;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.PoolMetrics;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * r2dbc.pool.connections: per connection pool, the connections in use (acquired), idle, waited for
 * (pending) and its maximum. The pool counts them itself, so a gauge reads them without waiting.
 */
public final class ConnectionPools {
  private static final Map<String, ToIntFunction<PoolMetrics>> STATES =
      Map.of(
          "acquired", PoolMetrics::acquiredSize,
          "idle", PoolMetrics::idleSize,
          "pending", PoolMetrics::pendingAcquireSize,
          "max", PoolMetrics::getMaxAllocatedSize);

  private ConnectionPools() {}

  /**
   * The plugin's pools by configuration path. Asking for one makes it if it does not exist yet; a
   * node uses each of its pools within seconds of its start anyway.
   */
  public static void register(ActorSystem<?> system, List<String> paths) {
    MeterRegistry registry = NodeMetrics.get(system).registry();
    for (String path : paths) {
      if (!(ConnectionFactoryProvider.get(system).connectionFactoryFor(path)
          instanceof ConnectionPool pool)) {
        continue;
      }
      pool.getMetrics()
          .ifPresent(
              metrics ->
                  STATES.forEach(
                      (state, figure) ->
                          Gauge.builder("r2dbc.pool.connections", metrics, figure::applyAsInt)
                              .description("Connections of a database pool")
                              .tag("pool", path)
                              .tag("state", state)
                              .strongReference(true)
                              .register(registry)));
    }
  }
}
