package metrics;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.model.ContentType;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.server.Route;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.Json;

/** GET /metrics: this node's meters for Prometheus, to the operators. */
public final class MetricsRoutes extends ApiRoutes {
  private static final ContentType PROMETHEUS_TEXT = prometheusText();

  private final NodeMetrics metrics;
  private final Endpoint scrape = endpoint(GET, "/metrics");

  public MetricsRoutes(Json json, ApiSettings settings, NodeMetrics metrics) {
    super(json, settings);
    this.metrics = metrics;
  }

  /**
   * Prometheus' text format 0.0.4, spelled as Prometheus spells it: as a text type akka-http would
   * write the charset UTF-8. The body is UTF-8 bytes.
   */
  private static ContentType prometheusText() {
    Map<String, String> parameters = new LinkedHashMap<>();
    parameters.put("version", "0.0.4");
    parameters.put("charset", "utf-8");
    return ContentTypes.create(MediaTypes.customBinary("text", "plain", false, parameters, false));
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
