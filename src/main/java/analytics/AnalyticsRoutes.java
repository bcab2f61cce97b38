package analytics;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * /analytics: each analytics view as JSON, with its parameters validated. A listing answers a page
 * of at most {@code limit} rows (up to {@link #MAX_LIMIT}) and the cursor of the next one.
 */
public final class AnalyticsRoutes extends ApiRoutes {
  static final int MAX_LIMIT = 1000;

  private final AnalyticsQueries queries;

  private final Endpoint largeCartAdds = endpoint(GET, "/analytics/large-cart-adds");
  private final Endpoint cartsWithProduct = endpoint(GET, "/analytics/products/{productId}/carts");
  private final Endpoint productPopularity = endpoint(GET, "/analytics/product-popularity");
  private final Endpoint abandonedCarts = endpoint(GET, "/analytics/abandoned-carts");
  private final Endpoint salesByRegionHour = endpoint(GET, "/analytics/sales-by-region-hour");
  private final Endpoint funnel = endpoint(GET, "/analytics/funnel");
  private final Endpoint lowStock = endpoint(GET, "/analytics/low-stock");

  public AnalyticsRoutes(Json json, ApiSettings settings, AnalyticsQueries queries) {
    super(json, settings);
    this.queries = queries;
  }

  /** Every analytics call is an operator's. */
  @Override
  public Route routes() {
    return pathPrefix(
        "analytics",
        () ->
            access.operator(
                () ->
                    concat(
                        path("large-cart-adds", () -> on(largeCartAdds, this::largeAdds)),
                        path(
                            PathMatchers.segment("products")
                                .slash(PathMatchers.uuidSegment())
                                .slash("carts"),
                            productId ->
                                on(
                                    cartsWithProduct,
                                    () -> completeJson(queries.cartsContaining(productId)))),
                        path("product-popularity", () -> on(productPopularity, this::popularity)),
                        path("abandoned-carts", () -> on(abandonedCarts, this::abandoned)),
                        path("sales-by-region-hour", () -> on(salesByRegionHour, this::sales)),
                        path("funnel", () -> on(funnel, () -> completeJson(queries.funnel()))),
                        path("low-stock", () -> on(lowStock, this::stockLevels)))));
  }

  private Route popularity() {
    return page(
        10, Cursor::offsetOf, (limit, offset) -> queries.popularity(limit, offset.orElse(0)));
  }

  private Route abandoned() {
    return intParameter(
        "idleMinutes",
        30,
        0,
        525_600,
        idle ->
            page(
                100,
                AnalyticsRoutes::cartKey,
                (limit, after) -> queries.abandonedCarts(idle, limit, after)));
  }

  private Route sales() {
    return intParameter(
        "hours",
        24,
        1,
        24 * 366,
        hours ->
            page(
                100,
                Cursor::keyOf,
                (limit, after) -> queries.salesByRegionHour(hours, limit, after)));
  }

  private Route stockLevels() {
    return intParameter(
        "threshold",
        20,
        1,
        Integer.MAX_VALUE,
        threshold ->
            page(
                100,
                Cursor::offsetOf,
                (limit, offset) -> queries.lowStock(threshold, limit, offset.orElse(0))));
  }

  /**
   * A page of a listing: {@code limit} rows, 1 to {@link #MAX_LIMIT}, after the optional {@code
   * after} cursor (a page's {@code next}; 422 when it is not a cursor this listing gave out).
   */
  private <T> Route page(
      int defaultLimit,
      Function<String, T> parse,
      BiFunction<Integer, Optional<T>, CompletionStage<?>> query) {
    return intParameter(
        "limit",
        defaultLimit,
        1,
        MAX_LIMIT,
        limit ->
            parameterOptional(
                "after",
                after -> {
                  Optional<T> cursor;
                  try {
                    cursor = after.map(parse);
                  } catch (IllegalArgumentException e) {
                    throw HttpProblem.invalid(
                        "after must be the next cursor of a page of this listing: "
                            + e.getMessage());
                  }
                  return completeJson(query.apply(limit, cursor));
                }));
  }

  /** A cursor of the abandoned-carts listing: its key's id is a cart id. */
  private static Cursor.Key cartKey(String cursor) {
    Cursor.Key key = Cursor.keyOf(cursor);
    UUID.fromString(key.id());
    return key;
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
