package web;

import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.server.Directives;
import akka.http.javadsl.server.Route;
import auth.Authenticator;
import auth.Caller;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who may call a route: 401 without a valid bearer token, 403 with a token of the wrong kind (a
 * shopper at an operator's route, the operators at a shopper's).
 */
public final class Access {
  private final Authenticator authenticator;

  public Access(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** Any authenticated caller. */
  public Route caller(Function<Caller, Route> inner) {
    return Directives.optionalHeaderValueByName(
        "Authorization",
        header ->
            inner.apply(
                authenticator
                    .caller(header)
                    .orElseThrow(
                        () ->
                            new HttpProblem(
                                StatusCodes.UNAUTHORIZED,
                                "a valid bearer token is required (sign in: POST /sessions)"))));
  }

  /** A signed-in shopper; the inner route gets their user id. */
  public Route shopper(Function<String, Route> inner) {
    return caller(
        caller -> {
          if (caller instanceof Caller.Shopper shopper) {
            return inner.apply(shopper.userId());
          }
          throw new HttpProblem(StatusCodes.FORBIDDEN, "this is a shopper's call: sign in as one");
        });
  }

  /** The operators, with the admin token. */
  public Route operator(Supplier<Route> inner) {
    return caller(
        caller -> {
          if (caller instanceof Caller.Operator) {
            return inner.get();
          }
          throw new HttpProblem(StatusCodes.FORBIDDEN, "this is an operator's call");
        });
  }

  /** Whether the caller may see what belongs to this user: the user themself or an operator. */
  public static boolean mayRead(Caller caller, String userId) {
    return caller instanceof Caller.Operator
        || (caller instanceof Caller.Shopper shopper && shopper.userId().equals(userId));
  }
}
