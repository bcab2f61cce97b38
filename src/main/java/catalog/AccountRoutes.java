package catalog;

import static akka.http.javadsl.model.HttpMethods.GET;
import static akka.http.javadsl.model.HttpMethods.POST;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import auth.Passwords;
import auth.Tokens;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import web.Access;
import web.ApiRoutes;
import web.ApiSettings;
import web.Endpoint;
import web.HttpProblem;
import web.Json;

/**
 * Accounts: POST /users registers and signs in, POST /sessions signs in; both answer a bearer
 * token. A user's data (GET /users/{id}) is theirs and the operators' only: anyone else is told it
 * does not exist. The list of users (GET /users) is the operators'.
 */
public final class AccountRoutes extends ApiRoutes {
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]+$");

  private final Catalog catalog;
  private final Passwords passwords;
  private final Tokens tokens;
  // Hashing a password takes a core for a fifth of a second: never on the actor threads.
  private final Executor hashing;

  private final Endpoint signIn = endpoint(POST, "/sessions");
  private final Endpoint register = endpoint(POST, "/users");
  private final Endpoint listUsers = endpoint(GET, "/users");
  private final Endpoint showUser = endpoint(GET, "/users/{userId}");

  /** What POST /users accepts. */
  public record NewUser(
      String name,
      String email,
      String password,
      String region,
      String street,
      String city,
      String state,
      String zipCode) {}

  /** What POST /sessions accepts. */
  public record SignIn(String email, String password) {}

  /** The user and a bearer token for their calls, accepted until expiresAt. */
  public record SignedIn(@JsonUnwrapped User user, String token, Instant expiresAt) {}

  public AccountRoutes(Json json, ApiSettings settings, ActorSystem<?> system, Catalog catalog) {
    super(json, settings);
    this.catalog = catalog;
    this.passwords = settings.authenticator().passwords();
    this.tokens = settings.authenticator().tokens();
    this.hashing = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  @Override
  public Route routes() {
    return concat(
        path("sessions", () -> on(signIn, () -> jsonBody(SignIn.class, this::signIn))),
        pathPrefix(
            "users",
            () ->
                concat(
                    pathEndOrSingleSlash(
                        () ->
                            concat(
                                on(
                                    register,
                                    () ->
                                        idempotencyKey(
                                            key ->
                                                jsonBody(
                                                    NewUser.class,
                                                    request -> register(request, key)))),
                                on(listUsers, () -> access.operator(this::listUsers)))),
                    path(
                        PathMatchers.uuidSegment(),
                        id ->
                            on(
                                showUser,
                                () ->
                                    access.caller(
                                        caller ->
                                            user(id, Access.mayRead(caller, id.toString()))))))));
  }

  private Route user(UUID id, boolean mayRead) {
    Supplier<HttpProblem> unknown = () -> HttpProblem.notFound("user " + id + " does not exist");
    if (!mayRead) {
      throw unknown.get();
    }
    return completeJson(catalog.user(id).thenApply(user -> user.orElseThrow(unknown)));
  }

  private Route listUsers() {
    return parameterOptional(
        "region",
        region ->
            paging(
                (page, size) ->
                    completeJson(catalog.users(region.filter(r -> !r.isBlank()), page, size))));
  }

  /**
   * Registers and signs in. Under an Idempotency-Key a repeat within 24 hours (same fields and
   * password) answers the same user with a new token; the key with other fields is refused. The key
   * is remembered with a fingerprint of the fields, never of the password.
   */
  private Route register(NewUser request, Optional<String> key) {
    String name = required(request.name(), "name").strip();
    String email = required(request.email(), "email").strip().toLowerCase();
    String password = required(request.password(), "password");
    String region = required(request.region(), "region");
    if (name.isEmpty() || name.length() > 200) {
      throw HttpProblem.invalid("name must have 1 to 200 characters");
    }
    if (email.length() > 320 || !EMAIL.matcher(email).matches()) {
      throw HttpProblem.invalid("email is not a valid address");
    }
    if (!Passwords.acceptable(password)) {
      throw HttpProblem.invalid(
          "password must have at least "
              + Passwords.MIN_LENGTH
              + " characters and at most "
              + Passwords.MAX_LENGTH
              + " bytes");
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
    String fingerprint =
        fingerprint(
            String.join(
                "\n",
                user.name(),
                user.email(),
                user.region(),
                user.street(),
                user.city(),
                user.state(),
                user.zipCode()));
    return completeJson(
        StatusCodes.CREATED,
        catalog
            .regions()
            .thenCompose(
                regions -> {
                  if (!regions.contains(region)) {
                    throw HttpProblem.invalid("region must be one of " + regions);
                  }
                  return previousRegistration(key);
                })
            .thenCompose(
                previous ->
                    previous.isPresent()
                        ? repeated(previous.get(), fingerprint, password)
                        : created(user, password, key, fingerprint)));
  }

  private CompletionStage<SignedIn> created(
      User user, String password, Optional<String> key, String fingerprint) {
    return CompletableFuture.supplyAsync(() -> passwords.hash(password), hashing)
        .thenCompose(hash -> catalog.createUser(user, hash, key.orElse(null), fingerprint))
        .thenApply(this::signedIn)
        .exceptionallyCompose(
            error ->
                // A twin with the same key may have been first: answer as it did.
                previousRegistration(key)
                    .thenCompose(
                        twin ->
                            twin.isPresent()
                                ? repeated(twin.get(), fingerprint, password)
                                : CompletableFuture.failedStage(error)));
  }

  private CompletionStage<Optional<Catalog.Registration>> previousRegistration(
      Optional<String> key) {
    return key.isPresent()
        ? catalog.registration(key.get())
        : CompletableFuture.completedFuture(Optional.empty());
  }

  private CompletionStage<SignedIn> repeated(
      Catalog.Registration previous, String fingerprint, String password) {
    HttpProblem otherRequest =
        HttpProblem.invalid("the Idempotency-Key was used for another registration");
    if (!previous.fingerprint().equals(fingerprint)) {
      return CompletableFuture.failedStage(otherRequest);
    }
    return CompletableFuture.supplyAsync(
            () -> passwords.matches(password, previous.passwordHash()), hashing)
        .thenCompose(
            same -> {
              if (!same) {
                throw otherRequest;
              }
              return catalog.user(UUID.fromString(previous.userId()));
            })
        .thenApply(user -> signedIn(user.orElseThrow()));
  }

  /** One answer for an unknown email and a wrong password, after the same work for both. */
  private Route signIn(SignIn request) {
    String email = required(request.email(), "email").strip().toLowerCase();
    String password = required(request.password(), "password");
    if (password.length() > Passwords.MAX_LENGTH) {
      throw HttpProblem.invalid("password must have at most " + Passwords.MAX_LENGTH + " bytes");
    }
    return completeJson(
        catalog
            .credentials(email)
            .thenCompose(
                credentials ->
                    CompletableFuture.supplyAsync(
                        () ->
                            passwords.matches(
                                    password,
                                    credentials.map(Catalog.Credentials::passwordHash).orElse(null))
                                ? credentials
                                : Optional.<Catalog.Credentials>empty(),
                        hashing))
            .thenCompose(
                match ->
                    catalog.user(
                        UUID.fromString(
                            match
                                .orElseThrow(
                                    () ->
                                        new HttpProblem(
                                            StatusCodes.UNAUTHORIZED,
                                            "the email or the password is wrong"))
                                .userId())))
            .thenApply(user -> signedIn(user.orElseThrow())));
  }

  private SignedIn signedIn(User user) {
    Tokens.Issued issued = tokens.issue(user.userId());
    return new SignedIn(user, issued.token(), issued.expiresAt());
  }

  private static String field(String value, String name, int maxLength) {
    String text = Optional.ofNullable(value).orElse("").strip();
    if (text.length() > maxLength) {
      throw HttpProblem.invalid(name + " must have at most " + maxLength + " characters");
    }
    return text;
  }
}
