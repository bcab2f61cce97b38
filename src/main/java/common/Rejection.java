package common;

/**
 * Why an entity refused a command. The kind says which HTTP status tells the truth; the reason is
 * for people. A refused command never changes state.
 */
public record Rejection(Kind kind, String reason) implements CborSerializable {

  public enum Kind {
    /** The entity does not exist (404). */
    NOT_FOUND,
    /** The command conflicts with the entity's current state (409). */
    CONFLICT,
    /** A value is outside what the command accepts (422). */
    INVALID,
    /** Not decided now: a dependency did not answer in time; retrying is safe (503). */
    UNAVAILABLE
  }

  public static Rejection notFound(String reason) {
    return new Rejection(Kind.NOT_FOUND, reason);
  }

  public static Rejection conflict(String reason) {
    return new Rejection(Kind.CONFLICT, reason);
  }

  public static Rejection invalid(String reason) {
    return new Rejection(Kind.INVALID, reason);
  }

  public static Rejection unavailable(String reason) {
    return new Rejection(Kind.UNAVAILABLE, reason);
  }

  /** The rejection as an exception, for completing an HTTP request with a problem. */
  public RejectedException asException() {
    return new RejectedException(this);
  }

  /**
   * Carries a rejection through a failed CompletionStage to the one place that renders problems.
   */
  public static final class RejectedException extends RuntimeException {
    private final Rejection rejection;

    RejectedException(Rejection rejection) {
      super(rejection.reason(), null, false, false);
      this.rejection = rejection;
    }

    public Rejection rejection() {
      return rejection;
    }
  }
}
