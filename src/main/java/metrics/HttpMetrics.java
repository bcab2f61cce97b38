package metrics;

import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
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

  public HttpMetrics(MeterRegistry registry, List<Endpoint> endpoints) {
    this.registry = registry;
    this.templates = new RouteTemplates(endpoints);
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
                    Timer.builder("http.server.requests")
                        .tag("method", method)
                        .tag("route", route)
                        .tag("status", String.valueOf(response.status().intValue()))
                        .publishPercentileHistogram()
                        .register(registry));
                return response;
              },
              () -> inner);
        });
  }
}
