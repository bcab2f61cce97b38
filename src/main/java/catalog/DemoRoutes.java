package catalog;

import static akka.http.javadsl.model.HttpMethods.GET;
import static akka.http.javadsl.model.HttpMethods.POST;

import akka.actor.typed.ActorSystem;
import akka.http.javadsl.server.Route;
import auth.Tokens;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * Demo mode only: lets anyone pick one of the generated users and shop as them, without knowing a
 * password (generated users have none). Outside demo mode both routes answer 404, so a real shop
 * offers no way into someone else's account.
 */
public final class DemoRoutes extends ApiRoutes {
  /** Most users one list shows: enough to pick from, few enough to read. */
  static final int LISTED = 20;

  private final Catalog catalog;
  private final Tokens tokens;
  private final boolean demo;

  private final Endpoint listShoppers = endpoint(GET, "/demo/shoppers");
  private final Endpoint signInAs = endpoint(POST, "/demo/sessions");

  /** A user as the picker lists them: no email or address. */
  public record DemoShopper(String userId, String name, String region) {}

  /** What POST /demo/sessions accepts. */
  public record SignInAs(String userId) {}

  public DemoRoutes(Json json, ApiSettings settings, ActorSystem<?> system, Catalog catalog) {
    super(json, settings);
    this.catalog = catalog;
    this.tokens = settings.authenticator().tokens();
    // The flag AuthSettings read at start; the node refused to start had it been unsafe.
    this.demo = system.settings().config().getBoolean("storefront.auth.demo");
  }

  @Override
  public Route routes() {
    return pathPrefix(
        "demo",
        () ->
            concat(
                path(
                    "shoppers",
                    () ->
                        on(
                            listShoppers,
                            () -> demoOnly(() -> parameterOptional("region", this::listShoppers)))),
                path(
                    "sessions",
                    () ->
                        on(
                            signInAs,
                            () -> demoOnly(() -> jsonBody(SignInAs.class, this::signInAs))))));
  }

  private Route demoOnly(Supplier<Route> inner) {
    if (!demo) {
      throw HttpProblem.notFound("this node is not in demo mode (serve --demo)");
    }
    return inner.get();
  }

  private Route listShoppers(Optional<String> region) {
    return completeJson(
        catalog
            .users(region.filter(r -> !r.isBlank()), 0, LISTED)
            .thenApply(
                page ->
                    page.items().stream()
                        .map(user -> new DemoShopper(user.userId(), user.name(), user.region()))
                        .toList()));
  }

  private Route signInAs(SignInAs request) {
    String userId = required(request.userId(), "userId");
    UUID id;
    try {
      id = UUID.fromString(userId);
    } catch (IllegalArgumentException e) {
      throw HttpProblem.invalid("'userId' must be a UUID");
    }
    return completeJson(
        catalog
            .user(id)
            .thenApply(
                user -> {
                  User found =
                      user.orElseThrow(
                          () -> HttpProblem.notFound("user " + userId + " does not exist"));
                  Tokens.Issued issued = tokens.issue(found.userId());
                  return new AccountRoutes.SignedIn(found, issued.token(), issued.expiresAt());
                }));
  }
}
