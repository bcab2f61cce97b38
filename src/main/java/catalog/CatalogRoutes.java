package catalog;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.http.javadsl.unmarshalling.StringUnmarshallers;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.regex.Pattern;
import web.ApiRoutes;
import web.ApiSettings;
import web.HttpProblem;
import web.Json;

/** Products, categories and users: GET /products, /products/{id}, /categories, /users. */
public final class CatalogRoutes extends ApiRoutes {
  private static final int MAX_PAGE_SIZE = 100;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

  private final Catalog catalog;
  private final Function<String, CompletionStage<Integer>> availableUnits;

  /** What POST /users accepts. */
  public record NewUser(
      String name,
      String email,
      String region,
      String street,
      String city,
      String state,
      String zipCode) {}

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

  public Route routes() {
    return concat(
        pathPrefix(
            "products",
            () ->
                concat(
                    pathEndOrSingleSlash(() -> get(this::listProducts)),
                    path(PathMatchers.uuidSegment(), id -> get(() -> productDetail(id))))),
        path("categories", () -> get(() -> completeJson(catalog.categories()))),
        pathPrefix(
            "users",
            () ->
                concat(
                    pathEndOrSingleSlash(
                        () ->
                            concat(
                                post(() -> jsonBody(NewUser.class, this::createUser)),
                                get(this::listUsers))),
                    path(
                        PathMatchers.uuidSegment(),
                        id ->
                            get(
                                () ->
                                    completeJson(
                                        catalog
                                            .user(id)
                                            .thenApply(
                                                u ->
                                                    u.orElseThrow(
                                                        () ->
                                                            HttpProblem.notFound(
                                                                "user "
                                                                    + id
                                                                    + " does not exist")))))))));
  }

  private Route listUsers() {
    return parameterOptional(
        "region",
        region ->
            paging(
                (page, size) ->
                    completeJson(catalog.users(region.filter(r -> !r.isBlank()), page, size))));
  }

  /** page (from 0) and size (1..100) query parameters: 400 when not numbers, 422 out of range. */
  private Route paging(java.util.function.BiFunction<Integer, Integer, Route> inner) {
    return parameterOptional(
        StringUnmarshallers.INTEGER,
        "page",
        page ->
            parameterOptional(
                StringUnmarshallers.INTEGER,
                "size",
                size -> {
                  int pageNumber = page.orElse(0);
                  int pageSize = size.orElse(20);
                  if (pageNumber < 0) {
                    throw HttpProblem.invalid("page must not be negative");
                  }
                  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
                    throw HttpProblem.invalid("size must be between 1 and " + MAX_PAGE_SIZE);
                  }
                  return inner.apply(pageNumber, pageSize);
                }));
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

  private Route createUser(NewUser request) {
    String name = required(request.name(), "name").strip();
    String email = required(request.email(), "email").strip().toLowerCase();
    String region = required(request.region(), "region");
    if (name.isEmpty() || name.length() > 200) {
      throw HttpProblem.invalid("name must have 1 to 200 characters");
    }
    if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
      throw HttpProblem.invalid("email is not a valid address");
    }
    User user =
        new User(
            UUID.randomUUID().toString(),
            name,
            email,
            region,
            field(request.street(), "street", 200),
            field(request.city(), "city", 100),
            field(request.state(), "state", 100),
            field(request.zipCode(), "zipCode", 20));
    return completeJson(
        StatusCodes.CREATED,
        catalog
            .regions()
            .thenCompose(
                regions -> {
                  if (!regions.contains(region)) {
                    throw HttpProblem.invalid("region must be one of " + regions);
                  }
                  return catalog.createUser(user);
                }));
  }

  private static String field(String value, String name, int maxLength) {
    String text = Optional.ofNullable(value).orElse("").strip();
    if (text.length() > maxLength) {
      throw HttpProblem.invalid(name + " must have at most " + maxLength + " characters");
    }
    return text;
  }
}
