package notification;

import static akka.http.javadsl.model.HttpMethods.GET;

import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import web.Access;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * GET /notifications (operators: every notification, by kind or product) and GET
 * /users/{id}/notifications (the user themself or an operator: the e-mails sent to them), newest
 * first, a page at a time.
 */
public final class NotificationRoutes extends ApiRoutes {
  private static final Set<String> KINDS =
      Set.of(
          Notification.LOW_STOCK,
          Notification.SOLD_OUT,
          Notification.BACK_IN_STOCK,
          Notification.ORDER_CONFIRMATION,
          Notification.PAYMENT_FAILED);

  private final NotificationQueries notifications;

  private final Endpoint listAll = endpoint(GET, "/notifications");
  private final Endpoint listUsers = endpoint(GET, "/users/{userId}/notifications");

  public NotificationRoutes(Json json, ApiSettings settings, NotificationQueries notifications) {
    super(json, settings);
    this.notifications = notifications;
  }

  @Override
  public Route routes() {
    return concat(
        path(
            "notifications",
            () ->
                on(
                    listAll,
                    () ->
                        access.operator(
                            () ->
                                parameterOptional(
                                    "kind",
                                    kind ->
                                        parameterOptional(
                                            "productId",
                                            productId ->
                                                paging(
                                                    (page, size) ->
                                                        completeJson(
                                                            notifications.page(
                                                                kind.map(NotificationRoutes::kind),
                                                                productId.map(
                                                                    NotificationRoutes::productId),
                                                                Optional.empty(),
                                                                page,
                                                                size)))))))),
        path(
            PathMatchers.segment("users").slash(PathMatchers.uuidSegment()).slash("notifications"),
            userId ->
                on(
                    listUsers,
                    () ->
                        access.caller(
                            caller -> {
                              if (!Access.mayRead(caller, userId.toString())) {
                                throw HttpProblem.notFound("user " + userId + " does not exist");
                              }
                              return paging(
                                  (page, size) ->
                                      completeJson(
                                          notifications.page(
                                              Optional.empty(),
                                              Optional.empty(),
                                              Optional.of(userId),
                                              page,
                                              size)));
                            }))));
  }

  private static String kind(String kind) {
    if (!KINDS.contains(kind)) {
      throw HttpProblem.invalid(
          "'kind' must be one of " + String.join(", ", KINDS.stream().sorted().toList()));
    }
    return kind;
  }

  private static UUID productId(String productId) {
    try {
      return UUID.fromString(productId);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.malformed("'productId' must be a product id (a UUID)");
    }
  }
}
