package order;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import auth.Caller;
import catalog.Catalog;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import live.Interest;
import live.LiveEvent;
import live.LiveStreams;
import notification.NotificationQueries;
import web.Access;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * GET /orders/{id} (the entity: always current; with {@code ?waitFor=end&timeout=5s} it answers as
 * soon as the order has ended, or as it is when the timeout is over) and GET /users/{id}/orders
 * (the read side: a moment behind the entities). Both are the shopper's own and the operators': to
 * anyone else they do not exist.
 */
public final class OrderRoutes extends ApiRoutes {
  private static final Duration WAIT = Duration.ofSeconds(5);
  // Under akka-http's 20 s request timeout, which would answer 503 instead.
  private static final Duration MAX_WAIT = Duration.ofSeconds(15);
  private static final Pattern WAIT_FORMAT = Pattern.compile("(\\d{1,5})(ms|s)");

  private final Orders orders;
  private final UserOrders userOrders;
  private final Catalog catalog;

  private final Endpoint showOrder = endpoint(GET, "/orders/{orderId}");
  private final Endpoint listUserOrders = endpoint(GET, "/users/{userId}/orders");
  private final Endpoint listPurchases = endpoint(GET, "/users/{userId}/purchases");

  /** An order's stream ends with its last news: its shipment, or its cancellation. */
  private static final Set<String> LAST_NEWS =
      Set.of(OrderReadSideHandler.SHIPPED, Order.Status.CANCELED.label());

  private final Endpoint streamOrder = endpoint(GET, "/orders/{orderId}/stream");
  private final Endpoint streamUser = endpoint(GET, "/users/{userId}/stream");
  private final LiveStreams streams;
  private final NotificationQueries notifications;

  public OrderRoutes(
      Json json,
      ApiSettings settings,
      Orders orders,
      UserOrders userOrders,
      Catalog catalog,
      LiveStreams streams,
      NotificationQueries notifications) {
    super(json, settings);
    this.orders = orders;
    this.userOrders = userOrders;
    this.catalog = catalog;
    this.streams = streams;
    this.notifications = notifications;
  }

  @Override
  public Route routes() {
    return concat(
        path(
            PathMatchers.segment("orders").slash(PathMatchers.uuidSegment()).slash("stream"),
            orderId ->
                on(
                    streamOrder,
                    () ->
                        access.caller(
                            caller ->
                                onSuccess(
                                    orders.get(orderId.toString()),
                                    view -> streamOrder(readableBy(caller, view)))))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("stream"),
            userId ->
                on(
                    streamUser,
                    () ->
                        usersOwn(
                            userId,
                            () ->
                                onSuccess(
                                    catalog.user(userId),
                                    user -> {
                                      if (user.isEmpty()) {
                                        throw unknownUser(userId);
                                      }
                                      return streams.stream(
                                          new Interest.User(userId),
                                          from -> notifications.forUserSince(userId, from),
                                          CompletableFuture.completedFuture(List.of()),
                                          event -> false);
                                    })))),
        path(
            PathMatchers.segment("orders").slash(PathMatchers.uuidSegment()),
            orderId ->
                on(
                    showOrder,
                    () ->
                        access.caller(
                            caller ->
                                parameterOptional(
                                    "waitFor",
                                    waitFor ->
                                        parameterOptional(
                                            "timeout",
                                            timeout ->
                                                completeJson(
                                                    order(orderId.toString(), waitFor, timeout)
                                                        .thenApply(
                                                            view -> readableBy(caller, view)))))))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("orders"),
            userId ->
                on(
                    listUserOrders,
                    () -> usersOwn(userId, () -> completeJson(known(userId, userOrders::of))))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("purchases"),
            userId ->
                on(
                    listPurchases,
                    () ->
                        usersOwn(
                            userId,
                            () ->
                                paging(
                                    (page, size) ->
                                        completeJson(
                                            known(
                                                userId,
                                                id -> userOrders.purchases(id, page, size))))))));
  }

  /** A user's listing is theirs and the operators': to anyone else the user does not exist. */
  private Route usersOwn(UUID userId, Supplier<Route> listing) {
    return access.caller(
        caller -> {
          if (!Access.mayRead(caller, userId.toString())) {
            throw unknownUser(userId);
          }
          return listing.get();
        });
  }

  /**
   * One order's status, from its current one (the entity's) to its last news, its shipment (with
   * the confirmation that carries the tracking number) or its cancellation: a shopper waits for the
   * outcome without polling, and the stream ends with it.
   */
  private Route streamOrder(Order.OrderView view) {
    UUID orderId = UUID.fromString(view.orderId());
    String status = view.shipment() != null ? OrderReadSideHandler.SHIPPED : view.status();
    LiveEvent.OrderStatus current =
        new LiveEvent.OrderStatus(orderId, UUID.fromString(view.userId()), status, Instant.now());
    return streams.stream(
        new Interest.Order(orderId),
        from -> notifications.forOrderSince(orderId, from),
        CompletableFuture.completedFuture(List.of(current)),
        event -> event instanceof LiveEvent.OrderStatus s && LAST_NEWS.contains(s.status()));
  }

  private CompletionStage<Order.OrderView> order(
      String orderId, Optional<String> waitFor, Optional<String> timeout) {
    if (waitFor.isEmpty()) {
      if (timeout.isPresent()) {
        throw HttpProblem.invalid("'timeout' needs 'waitFor=end'");
      }
      return orders.get(orderId);
    }
    if (!waitFor.get().equals("end")) {
      throw HttpProblem.invalid("'waitFor' must be 'end'");
    }
    return orders.whenEnded(orderId, timeout.map(OrderRoutes::wait).orElse(WAIT));
  }

  /** An order is its shopper's and the operators': to anyone else it does not exist. */
  private static Order.OrderView readableBy(Caller caller, Order.OrderView view) {
    if (!Access.mayRead(caller, view.userId())) {
      throw HttpProblem.notFound("order " + view.orderId() + " does not exist");
    }
    return view;
  }

  private static HttpProblem unknownUser(UUID userId) {
    return HttpProblem.notFound("user " + userId + " does not exist");
  }

  /** A wait such as 500ms or 5s, at most 15 s. */
  private static Duration wait(String text) {
    Matcher matcher = WAIT_FORMAT.matcher(text);
    if (!matcher.matches()) {
      throw HttpProblem.invalid("'timeout' must be like 500ms or 5s");
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration wait =
        matcher.group(2).equals("s") ? Duration.ofSeconds(amount) : Duration.ofMillis(amount);
    if (wait.isZero() || wait.compareTo(MAX_WAIT) > 0) {
      throw HttpProblem.invalid(
          "'timeout' must be more than 0 and at most " + MAX_WAIT.toSeconds() + "s");
    }
    return wait;
  }

  /** The listing of a user the catalog knows; 404 for any other. */
  private CompletionStage<?> known(UUID userId, Function<UUID, CompletionStage<?>> listing) {
    return catalog
        .user(userId)
        .thenCompose(
            user -> {
              if (user.isEmpty()) {
                throw unknownUser(userId);
              }
              return listing.apply(userId);
            });
  }
}
