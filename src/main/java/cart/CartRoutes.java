package cart;

import static akka.http.javadsl.model.HttpMethods.DELETE;
import static akka.http.javadsl.model.HttpMethods.GET;
import static akka.http.javadsl.model.HttpMethods.POST;
import static akka.http.javadsl.model.HttpMethods.PUT;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import akka.japi.function.Function;
import catalog.Catalog;
import catalog.Product;
import common.Asks;
import common.Reply;
import common.RequestKey;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import web.Access;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * /carts: open a cart (a user has one active cart at a time), change its lines, give it up, check
 * it out; /users/{id}/cart: the user's active cart.
 */
public final class CartRoutes extends ApiRoutes {
  private final ActorSystem<?> system;
  private final Catalog catalog;

  private final Endpoint openCart = endpoint(POST, "/carts");
  private final Endpoint showCart = endpoint(GET, "/carts/{cartId}");
  private final Endpoint cancelCart = endpoint(DELETE, "/carts/{cartId}");
  private final Endpoint addItem = endpoint(POST, "/carts/{cartId}/items");
  private final Endpoint changeQuantity = endpoint(PUT, "/carts/{cartId}/items/{productId}");
  private final Endpoint removeItem = endpoint(DELETE, "/carts/{cartId}/items/{productId}");
  private final Endpoint checkout = endpoint(POST, "/carts/{cartId}/checkout");
  private final Endpoint showActiveCart = endpoint(GET, "/users/{userId}/cart");

  /**
   * items is optional: the lines the cart opens with, written with the cart in one go. The cart is
   * the signed-in shopper's.
   */
  public record NewCart(List<NewItem> items) {}

  public record NewItem(String productId, Integer quantity) {}

  public record QuantityChange(Integer quantity) {}

  public record CheckoutRequest(String paymentMethod) {}

  public CartRoutes(Json json, ApiSettings settings, ActorSystem<?> system, Catalog catalog) {
    super(json, settings);
    this.system = system;
    this.catalog = catalog;
  }

  /**
   * Every cart call is a signed-in shopper's, about their own carts only; a user's active cart is
   * also the operators' to see.
   */
  @Override
  public Route routes() {
    return concat(
        pathPrefix("carts", () -> access.shopper(this::carts)),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("cart"),
            userId -> on(showActiveCart, () -> activeCart(userId.toString()))));
  }

  /** /carts and the shopper's carts below it. */
  private Route carts(String userId) {
    return concat(
        pathEndOrSingleSlash(() -> on(openCart, () -> open(userId))),
        pathPrefix(PathMatchers.uuidSegment(), cartId -> cart(userId, cartId.toString())));
  }

  /** /carts/{cartId}. Every change accepts an Idempotency-Key (see ShoppingCart.ByShopper). */
  private Route cart(String userId, String cartId) {
    return concat(
        pathEndOrSingleSlash(
            () ->
                concat(
                    on(showCart, () -> show(userId, cartId)),
                    on(cancelCart, () -> cancel(userId, cartId)))),
        pathPrefix("items", () -> items(userId, cartId)),
        path("checkout", () -> on(checkout, () -> checkout(userId, cartId))));
  }

  /**
   * /carts/{cartId}/items: POST adds units; on one line, PUT sets its quantity, DELETE removes it.
   */
  private Route items(String userId, String cartId) {
    return concat(
        pathEndOrSingleSlash(() -> on(addItem, () -> addItem(userId, cartId))),
        path(
            PathMatchers.uuidSegment(),
            productId ->
                concat(
                    on(changeQuantity, () -> changeQuantity(userId, cartId, productId)),
                    on(removeItem, () -> removeItem(userId, cartId, productId)))));
  }

  /** The user's active cart: theirs and the operators' to see; to anyone else no such user. */
  private Route activeCart(String userId) {
    return access.caller(
        caller -> {
          if (!Access.mayRead(caller, userId)) {
            throw HttpProblem.notFound("user " + userId + " does not exist");
          }
          return completeJson(
              Asks.ask(
                  ActiveCart.entityRef(system, userId),
                  ActiveCart.Get::new,
                  settings.askTimeout()));
        });
  }

  /** Reads need no Idempotency-Key. */
  private Route show(String userId, String cartId) {
    return completeJson(askCart(userId, cartId, Optional.empty(), ShoppingCart.Get::new));
  }

  private Route cancel(String userId, String cartId) {
    return requestKey(key -> completeJson(askCart(userId, cartId, key, ShoppingCart.Cancel::new)));
  }

  private Route checkout(String userId, String cartId) {
    return keyedJsonBody(
        CheckoutRequest.class,
        (request, key) -> {
          String method = required(request.paymentMethod(), "paymentMethod");
          return completeJson(
              this.<ShoppingCart.CheckedOut>askCart(
                  userId, cartId, key, replyTo -> new ShoppingCart.Checkout(method, replyTo)));
        });
  }

  /**
   * Opens a cart for the shopper unless they have an active one, which is answered instead (200,
   * not 201). Under an Idempotency-Key the new cart's id comes from the shopper and the key, so
   * that a repeat reaches the same cart and answers it instead of opening another.
   */
  private Route open(String userId) {
    return keyedJsonBody(
        NewCart.class,
        (request, key) ->
            onSuccess(
                askToOpen(userId, request, key),
                opened ->
                    complete(
                        opened.byThisRequest() ? StatusCodes.CREATED : StatusCodes.OK,
                        opened.cart(),
                        json.marshaller())));
  }

  private CompletionStage<ActiveCart.Opened> askToOpen(
      String userId, NewCart request, Optional<RequestKey> key) {
    List<NewItem> items = request.items() == null ? List.of() : request.items();
    for (int i = 0; i < items.size(); i++) {
      NewItem item = required(items.get(i), "items[" + i + "]");
      uuid(required(item.productId(), "productId"), "productId");
      required(item.quantity(), "quantity");
    }
    String cartId =
        key.map(k -> settings.authenticator().idFor(userId, k.key()))
            .orElseGet(UUID::randomUUID)
            .toString();
    return catalog
        .user(UUID.fromString(userId))
        .thenApply(
            user ->
                user.orElseThrow(() -> HttpProblem.notFound("user " + userId + " does not exist")))
        .thenCompose(
            user ->
                newLines(items)
                    .thenCompose(
                        lines -> askActiveCart(userId, cartId, user.region(), lines, key)));
  }

  /** Asks the user's ActiveCart to open this cart unless another one is active. */
  private CompletionStage<ActiveCart.Opened> askActiveCart(
      String userId,
      String cartId,
      String region,
      List<ShoppingCart.NewLine> lines,
      Optional<RequestKey> key) {
    return Asks.ask(
        ActiveCart.entityRef(system, userId),
        replyTo -> new ActiveCart.Open(cartId, region, lines, key.orElse(null), replyTo),
        settings.askTimeout());
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

  private Route addItem(String userId, String cartId) {
    return keyedJsonBody(
        NewItem.class,
        (item, key) -> {
          UUID productId = uuid(required(item.productId(), "productId"), "productId");
          int quantity = required(item.quantity(), "quantity");
          return askAtCurrentPrice(
              userId,
              cartId,
              key,
              productId,
              (product, replyTo) ->
                  new ShoppingCart.AddItem(
                      product.productId(), quantity, product.price(), replyTo));
        });
  }

  /** Sets a line's quantity; the line takes the product's price of now, as an added unit does. */
  private Route changeQuantity(String userId, String cartId, UUID productId) {
    return keyedJsonBody(
        QuantityChange.class,
        (change, key) -> {
          int quantity = required(change.quantity(), "quantity");
          return askAtCurrentPrice(
              userId,
              cartId,
              key,
              productId,
              (product, replyTo) ->
                  new ShoppingCart.ChangeQuantity(
                      product.productId(), quantity, product.price(), replyTo));
        });
  }

  private Route removeItem(String userId, String cartId, UUID productId) {
    return requestKey(
        key ->
            completeJson(
                this.<ShoppingCart.CartView>askCart(
                    userId,
                    cartId,
                    key,
                    replyTo -> new ShoppingCart.RemoveItem(productId.toString(), replyTo))));
  }

  /** Asks the cart a line command priced from the catalog as it is now; 404 for no such product. */
  private Route askAtCurrentPrice(
      String userId,
      String cartId,
      Optional<RequestKey> key,
      UUID productId,
      BiFunction<Product, ActorRef<Reply<ShoppingCart.CartView>>, ShoppingCart.AnsweredWithView>
          command) {
    return completeJson(
        knownProduct(productId)
            .thenCompose(
                product ->
                    this.<ShoppingCart.CartView>askCart(
                        userId, cartId, key, replyTo -> command.apply(product, replyTo))));
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

  /**
   * Asks the cart as this shopper (a cart of someone else's answers that it does not exist), under
   * the request key if there is one.
   */
  private <T> CompletionStage<T> askCart(
      String userId,
      String cartId,
      Optional<RequestKey> key,
      Function<ActorRef<Reply<T>>, ShoppingCart.ShopperCommand<T>> command) {
    return Asks.ask(
        ShoppingCart.entityRef(system, cartId),
        replyTo -> new ShoppingCart.ByShopper(userId, command.apply(replyTo), key.orElse(null)),
        settings.askTimeout());
  }

  private static UUID uuid(String value, String field) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.invalid("'" + field + "' must be a UUID");
    }
  }
}
