package inventory;

import static akka.http.javadsl.model.HttpMethods.GET;
import static akka.http.javadsl.model.HttpMethods.POST;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import catalog.Catalog;
import catalog.Warehouse;
import common.RequestKey;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import live.Interest;
import live.LiveEvent;
import live.LiveStreams;
import notification.NotificationQueries;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * GET /inventory/{productId}, the admin's POST /admin/products/{id}/restock, and the live stream of
 * chosen products' stock (GET /stream/stock?products=id,id).
 */
public final class InventoryRoutes extends ApiRoutes {
  /** Most units one restock may add. */
  static final int MAX_RESTOCK = 1_000_000;

  /** Most products one stream follows. */
  static final int MAX_STREAMED_PRODUCTS = 100;

  private final Catalog catalog;
  private final Stock stock;
  private final StockLevels levels;
  private final LiveStreams streams;
  private final NotificationQueries notifications;

  private final Endpoint showStock = endpoint(GET, "/inventory/{productId}");
  private final Endpoint restock = endpoint(POST, "/admin/products/{productId}/restock");
  private final Endpoint streamStock = endpoint(GET, "/stream/stock");

  /** What a restock accepts: a warehouse by id or location, and the units to add. */
  public record RestockRequest(String warehouse, Integer quantity) {}

  public InventoryRoutes(
      Json json,
      ApiSettings settings,
      Catalog catalog,
      Stock stock,
      StockLevels levels,
      LiveStreams streams,
      NotificationQueries notifications) {
    super(json, settings);
    this.catalog = catalog;
    this.stock = stock;
    this.levels = levels;
    this.streams = streams;
    this.notifications = notifications;
  }

  @Override
  public Route routes() {
    return concat(
        path(
            PathMatchers.segment("inventory").slash(PathMatchers.uuidSegment()),
            productId ->
                on(showStock, () -> completeJson(knownProduct(productId).thenCompose(stock::get)))),
        path(
            PathMatchers.segment("stream").slash("stock"),
            () ->
                on(
                    streamStock,
                    () ->
                        parameterOptional(
                            "products",
                            products -> {
                              Set<UUID> productIds = streamedProducts(products);
                              return streams.stream(
                                  new Interest.Products(productIds),
                                  from -> notifications.forProductsSince(productIds, from),
                                  levels.levels(productIds).thenApply(List::<LiveEvent>copyOf),
                                  event -> false);
                            }))),
        path(
            PathMatchers.segment("admin")
                .slash("products")
                .slash(PathMatchers.uuidSegment())
                .slash("restock"),
            productId ->
                on(
                    restock,
                    () ->
                        access.operator(
                            () ->
                                keyedJsonBody(
                                    RestockRequest.class,
                                    (request, key) -> restock(productId, key, request))))));
  }

  /** The products= parameter: 1 to 100 product ids, comma-separated. */
  private static Set<UUID> streamedProducts(Optional<String> products) {
    if (products.isEmpty() || products.get().isBlank()) {
      throw HttpProblem.invalid(
          "'products' must name 1 to " + MAX_STREAMED_PRODUCTS + " product ids");
    }
    Set<UUID> ids = new LinkedHashSet<>();
    for (String id : products.get().split(",")) {
      try {
        ids.add(UUID.fromString(id.trim()));
      } catch (IllegalArgumentException e) {
        throw HttpProblem.malformed(
            "'products' holds '" + id.trim() + "', which is not a product id");
      }
    }
    if (ids.size() > MAX_STREAMED_PRODUCTS) {
      throw HttpProblem.invalid(
          "'products' must name 1 to " + MAX_STREAMED_PRODUCTS + " product ids");
    }
    return ids;
  }

  /**
   * A restock under an Idempotency-Key has an id made of the key and the request's fingerprint: a
   * repeat adds nothing (the product remembers its last 1,000 restocks), the key with another
   * request is refused.
   */
  private Route restock(UUID productId, Optional<RequestKey> requestKey, RestockRequest request) {
    String warehouseName = required(request.warehouse(), "warehouse");
    int quantity = required(request.quantity(), "quantity");
    if (quantity < 1 || quantity > MAX_RESTOCK) {
      throw HttpProblem.invalid("quantity must be between 1 and " + MAX_RESTOCK);
    }
    String restockId =
        requestKey
            .map(k -> "key:" + k.key() + "#" + k.fingerprint())
            .orElse(UUID.randomUUID().toString());
    return completeJson(
        knownProduct(productId)
            .thenCompose(
                id ->
                    catalog
                        .warehouses()
                        .thenCompose(
                            warehouses -> {
                              Warehouse warehouse =
                                  warehouses.stream()
                                      .filter(
                                          w ->
                                              w.warehouseId().equals(warehouseName)
                                                  || w.location().equalsIgnoreCase(warehouseName))
                                      .findFirst()
                                      .orElseThrow(
                                          () ->
                                              HttpProblem.invalid(
                                                  "unknown warehouse '" + warehouseName + "'"));
                              return stock.restock(
                                  id,
                                  restockId,
                                  warehouse.warehouseId(),
                                  warehouse.region(),
                                  quantity);
                            })));
  }

  private CompletionStage<String> knownProduct(UUID productId) {
    return catalog
        .product(productId)
        .thenApply(
            product ->
                product
                    .orElseThrow(
                        () -> HttpProblem.notFound("product " + productId + " does not exist"))
                    .productId());
  }
}
