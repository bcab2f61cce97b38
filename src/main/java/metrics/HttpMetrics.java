package metrics;

import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.UnaryOperator;
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

  /**
   * Times the inner route's requests. A request past the server's request-timeout is answered by
   * timedOut and counted with that answer's status; the inner route's late answer, which no client
   * gets, is not counted again.
   */
  public Route timed(Function<HttpRequest, HttpResponse> timedOut, Route inner) {
    return Directives.extractRequest(
        request -> {
          Timer.Sample sample = Timer.start(registry);
          String method = request.method().name();
          String route = templates.of(method, request.getUri().path());
          AtomicBoolean counted = new AtomicBoolean();
          UnaryOperator<HttpResponse> count =
              response -> {
                if (counted.compareAndSet(false, true)) {
                  sample.stop(
                      requests.withTags(
                          "method",
                          method,
                          "route",
                          route,
                          "status",
                          String.valueOf(response.status().intValue())));
                }
                return response;
              };
          return Directives.withRequestTimeoutResponse(
              late -> count.apply(timedOut.apply(late)),
              () -> Directives.mapResponse(count, () -> inner));
        });
  }
}
