package analytics;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.Function;
import web.ApiRoutes;
import web.ApiSettings;
import web.HttpProblem;
import web.Json;

/** /analytics: each analytics view as JSON, with its parameters validated. */
public final class AnalyticsRoutes extends ApiRoutes {
  private final AnalyticsQueries queries;

  public AnalyticsRoutes(Json json, ApiSettings settings, AnalyticsQueries queries) {
    super(json, settings);
    this.queries = queries;
  }

  public Route routes() {
    return pathPrefix(
        "analytics",
        () ->
            get(
                () ->
                    concat(
                        path("large-cart-adds", this::largeAdds),
                        path(
                            PathMatchers.segment("products")
                                .slash(PathMatchers.uuidSegment())
                                .slash("carts"),
                            productId -> completeJson(queries.cartsContaining(productId))),
                        path(
                            "product-popularity",
                            () ->
                                intParameter(
                                    "limit",
                                    10,
                                    1,
                                    1000,
                                    limit -> completeJson(queries.popularity(limit)))),
                        path(
                            "abandoned-carts",
                            () ->
                                intParameter(
                                    "idleMinutes",
                                    30,
                                    0,
                                    525_600,
                                    idle ->
                                        intParameter(
                                            "limit",
                                            100,
                                            1,
                                            1000,
                                            limit ->
                                                completeJson(
                                                    queries.abandonedCarts(idle, limit))))),
                        path(
                            "sales-by-region-hour",
                            () ->
                                intParameter(
                                    "hours",
                                    24,
                                    1,
                                    24 * 366,
                                    hours -> completeJson(queries.salesByRegionHour(hours)))),
                        path("funnel", () -> completeJson(queries.funnel())),
                        path(
                            "low-stock",
                            () ->
                                intParameter(
                                    "threshold",
                                    20,
                                    1,
                                    Integer.MAX_VALUE,
                                    threshold -> completeJson(queries.lowStock(threshold)))))));
  }

  private Route largeAdds() {
    return parameterOptional(
        "productId",
        productId ->
            parameterOptional(
                "from",
                from ->
                    parameterOptional(
                        "to",
                        to ->
                            completeJson(
                                queries.largeAdds(
                                    productId.map(AnalyticsRoutes::uuid),
                                    from.map(AnalyticsRoutes::instant),
                                    to.map(AnalyticsRoutes::instant))))));
  }

  /** An optional integer query parameter within bounds: 400 when not a number, 422 outside. */
  private Route intParameter(
      String name, int defaultValue, int min, int max, Function<Integer, Route> inner) {
    return parameterOptional(
        StringUnmarshallers.INTEGER,
        name,
        value -> {
          int given = value.orElse(defaultValue);
          if (given < min || given > max) {
            throw HttpProblem.invalid(name + " must be between " + min + " and " + max);
          }
          return inner.apply(given);
        });
  }

  private static UUID uuid(String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.invalid("productId must be a UUID");
    }
  }

  private static Instant instant(String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw HttpProblem.invalid(
          "'" + value + "' is not an ISO-8601 instant such as 2026-11-21T10:00:00Z");
    }
  }
}
