package auth;

/** Who sent a request, as its bearer token proves. */
public sealed interface Caller {

  /** A signed-in shopper: sees and changes only their own user, carts and orders. */
  record Shopper(String userId) implements Caller {}

  /** Holds the admin token: restocks, analytics, projections, every user's data. */
  record Operator() implements Caller {}
}
