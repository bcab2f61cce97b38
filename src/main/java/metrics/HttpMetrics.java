package metrics;

import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import web.Endpoint;

/**
 * Times every request by operation, method and status (http.server.requests). Wrapped around the
 * problem mapping, it sees refusals and failures with the status the client got. A stream is timed
 * until its response starts: its entity follows for as long as the client listens.
 */
public final class HttpMetrics {
  private final MeterRegistry registry;
  private final RouteTemplates templates;
  // Built once: per request only the tags are new.
  private final Meter.MeterProvider<Timer> requests;

  public HttpMetrics(MeterRegistry registry, List<Endpoint> endpoints) {
    this.registry = registry;
    this.templates = new RouteTemplates(endpoints);
    this.requests =
        Timer.builder("http.server.requests").publishPercentileHistogram().withRegistry(registry);
  }

  public Route timed(Route inner) {
    return Directives.extractRequest(
        request -> {
          Timer.Sample sample = Timer.start(registry);
          String method = request.method().name();
          String route = templates.of(method, request.getUri().path());
          return Directives.mapResponse(
              response -> {
                sample.stop(
                    requests.withTags(
                        "method",
                        method,
                        "route",
                        route,
                        "status",
                        String.valueOf(response.status().intValue())));
                return response;
              },
              () -> inner);
        });
  }
}
