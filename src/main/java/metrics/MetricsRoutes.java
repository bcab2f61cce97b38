package metrics;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;

/** GET /metrics: this node's meters for Prometheus, to the operators. */
public final class MetricsRoutes extends ApiRoutes {
  private static final ContentType PROMETHEUS_TEXT =
      ContentTypes.parse("text/plain; version=0.0.4; charset=utf-8");

  private final NodeMetrics metrics;
  private final Endpoint scrape = endpoint(GET, "/metrics");

  public MetricsRoutes(Json json, ApiSettings settings, NodeMetrics metrics) {
    super(json, settings);
    this.metrics = metrics;
  }

  @Override
  public Route routes() {
    return path(
        "metrics",
        () ->
            on(
                scrape,
                () ->
                    access.operator(
                        () ->
                            complete(
                                HttpEntities.create(
                                    PROMETHEUS_TEXT,
                                    metrics.scrape().getBytes(StandardCharsets.UTF_8))))));
  }
}
