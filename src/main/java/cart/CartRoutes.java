package cart;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import catalog.Catalog;
import catalog.Product;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import web.ApiRoutes;
import web.ApiSettings;
import web.HttpProblem;
import web.Json;

/** /carts: open a cart, change its lines, give it up, check it out. */
public final class CartRoutes extends ApiRoutes {
  private final ActorSystem<?> system;
  private final Catalog catalog;

  /** items is optional: the lines the cart opens with, written with the cart in one go. */
  public record NewCart(String userId, List<NewItem> items) {}

  public record NewItem(String productId, Integer quantity) {}

  public record QuantityChange(Integer quantity) {}

  public record CheckoutRequest(String paymentMethod) {}

  public CartRoutes(Json json, ApiSettings settings, ActorSystem<?> system, Catalog catalog) {
    super(json, settings);
    this.system = system;
    this.catalog = catalog;
  }

  public Route routes() {
    return pathPrefix(
        "carts",
        () ->
            concat(
                pathEndOrSingleSlash(() -> post(() -> jsonBody(NewCart.class, this::open))),
                pathPrefix(PathMatchers.uuidSegment(), id -> cart(id.toString()))));
  }

  private Route cart(String cartId) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                concat(
                    get(() -> completeJson(ask(cartId, ShoppingCart.Get::new))),
                    delete(() -> completeJson(ask(cartId, ShoppingCart.Cancel::new))))),
        pathPrefix(
            "items",
            () ->
                concat(
                    pathEndOrSingleSlash(
                        () -> post(() -> jsonBody(NewItem.class, item -> addItem(cartId, item)))),
                    path(
                        PathMatchers.uuidSegment(),
                        productId ->
                            concat(
                                put(
                                    () ->
                                        jsonBody(
                                            QuantityChange.class,
                                            change -> changeQuantity(cartId, productId, change))),
                                delete(
                                    () ->
                                        completeJson(
                                            ask(
                                                cartId,
                                                replyTo ->
                                                    new ShoppingCart.RemoveItem(
                                                        productId.toString(), replyTo)))))))),
        path(
            "checkout",
            () ->
                post(
                    () ->
                        jsonBody(
                            CheckoutRequest.class,
                            request ->
                                completeJson(
                                    ask(
                                        cartId,
                                        replyTo ->
                                            new ShoppingCart.Checkout(
                                                required(request.paymentMethod(), "paymentMethod"),
                                                replyTo)))))));
  }

  private Route open(NewCart request) {
    UUID userId = uuid(required(request.userId(), "userId"), "userId");
    List<NewItem> items = request.items() == null ? List.of() : request.items();
    for (int i = 0; i < items.size(); i++) {
      NewItem item = required(items.get(i), "items[" + i + "]");
      uuid(required(item.productId(), "productId"), "productId");
      required(item.quantity(), "quantity");
    }
    String cartId = UUID.randomUUID().toString();
    return completeJson(
        StatusCodes.CREATED,
        catalog
            .user(userId)
            .thenCompose(
                user -> {
                  var known =
                      user.orElseThrow(
                          () -> HttpProblem.notFound("user " + userId + " does not exist"));
                  return newLines(items)
                      .thenCompose(
                          lines ->
                              ask(
                                  cartId,
                                  replyTo ->
                                      new ShoppingCart.Open(
                                          known.userId(), known.region(), lines, replyTo)));
                }));
  }

  /** The (checked) items at their products' current prices, looked up together. */
  private CompletableFuture<List<ShoppingCart.NewLine>> newLines(List<NewItem> items) {
    List<CompletableFuture<ShoppingCart.NewLine>> lines =
        items.stream()
            .map(
                item ->
                    knownProduct(UUID.fromString(item.productId()))
                        .thenApply(
                            product ->
                                new ShoppingCart.NewLine(
                                    product.productId(), item.quantity(), product.price()))
                        .toCompletableFuture())
            .toList();
    return CompletableFuture.allOf(lines.toArray(CompletableFuture[]::new))
        .thenApply(done -> lines.stream().map(CompletableFuture::join).toList());
  }

  private Route addItem(String cartId, NewItem item) {
    UUID productId = uuid(required(item.productId(), "productId"), "productId");
    int quantity = required(item.quantity(), "quantity");
    return askAtCurrentPrice(
        cartId,
        productId,
        (product, replyTo) ->
            new ShoppingCart.AddItem(product.productId(), quantity, product.price(), replyTo));
  }

  /** Sets a line's quantity; the line takes the product's price of now, as an added unit does. */
  private Route changeQuantity(String cartId, UUID productId, QuantityChange change) {
    int quantity = required(change.quantity(), "quantity");
    return askAtCurrentPrice(
        cartId,
        productId,
        (product, replyTo) ->
            new ShoppingCart.ChangeQuantity(
                product.productId(), quantity, product.price(), replyTo));
  }

  /** Asks the cart a line command priced from the catalog as it is now; 404 for no such product. */
  private Route askAtCurrentPrice(
      String cartId,
      UUID productId,
      BiFunction<Product, ActorRef<ShoppingCart.Reply>, ShoppingCart.Command> command) {
    return completeJson(
        knownProduct(productId)
            .thenCompose(product -> ask(cartId, replyTo -> command.apply(product, replyTo))));
  }

  /** The product, from the catalog's cache; 404 when it does not exist. */
  private CompletionStage<Product> knownProduct(UUID productId) {
    return catalog
        .product(productId)
        .thenApply(
            product ->
                product.orElseThrow(
                    () -> HttpProblem.notFound("product " + productId + " does not exist")));
  }

  private CompletionStage<Object> ask(
      String cartId,
      akka.japi.function.Function<ActorRef<ShoppingCart.Reply>, ShoppingCart.Command> command) {
    return ShoppingCart.entityRef(system, cartId)
        .ask(command, settings.askTimeout())
        .thenApply(
            reply -> {
              if (reply instanceof ShoppingCart.Rejected rejected) {
                throw rejected.rejection().asException();
              }
              return reply;
            });
  }

  private static UUID uuid(String value, String field) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.invalid("'" + field + "' must be a UUID");
    }
  }
}
