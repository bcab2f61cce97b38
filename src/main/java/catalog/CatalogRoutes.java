package catalog;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/** Products and categories: GET /products, /products/{id}, /categories. */
public final class CatalogRoutes extends ApiRoutes {

  private final Catalog catalog;
  private final Function<String, CompletionStage<Integer>> availableUnits;

  private final Endpoint listProducts = endpoint(GET, "/products");
  private final Endpoint showProduct = endpoint(GET, "/products/{productId}");
  private final Endpoint listCategories = endpoint(GET, "/categories");

  /** A product with the units that can be bought right now. */
  public record ProductDetail(@JsonUnwrapped Product product, int available) {}

  public CatalogRoutes(
      Json json,
      ApiSettings settings,
      Catalog catalog,
      Function<String, CompletionStage<Integer>> availableUnits) {
    super(json, settings);
    this.catalog = catalog;
    this.availableUnits = availableUnits;
  }

  @Override
  public Route routes() {
    return concat(
        pathPrefix(
            "products",
            () ->
                concat(
                    pathEndOrSingleSlash(() -> on(listProducts, this::listProducts)),
                    path(
                        PathMatchers.uuidSegment(),
                        id -> on(showProduct, () -> productDetail(id))))),
        path("categories", () -> on(listCategories, () -> completeJson(catalog.categories()))));
  }

  private Route listProducts() {
    return parameterOptional(
        "category",
        category ->
            parameterOptional(
                "q",
                text ->
                    paging(
                        (page, size) ->
                            completeJson(
                                catalog.products(
                                    category.filter(c -> !c.isBlank()),
                                    text.filter(t -> !t.isBlank()),
                                    page,
                                    size)))));
  }

  private Route productDetail(UUID id) {
    return completeJson(
        catalog
            .product(id)
            .thenCompose(
                product ->
                    product
                        .map(
                            p ->
                                availableUnits
                                    .apply(p.productId())
                                    .thenApply(units -> new ProductDetail(p, units)))
                        .orElseThrow(
                            () -> HttpProblem.notFound("product " + id + " does not exist"))));
  }
}
