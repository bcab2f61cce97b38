package common;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What every entity answers a command: accepted, with what the command produced, or rejected, with
 * why. One shape for all entities, so that one place ({@link Asks}) turns an answer into a result
 * or a failure that the HTTP API renders as a problem.
 *
 * @param <T> what an accepted command answers with: a record, or an enum constant
 */
public sealed interface Reply<T> extends CborSerializable {

  /** The command was accepted; {@code value} is what it answers (a view, a confirmation). */
  record Accepted<T>(
      // The value's class travels with it: the reply may cross nodes, and T is erased.
      @JsonTypeInfo(use = JsonTypeInfo.Id.CLASS) T value) implements Reply<T> {}

  /** The command was refused and changed nothing. */
  record Rejected<T>(Rejection rejection) implements Reply<T> {
    @Override
    public T value() {
      throw rejection.asException();
    }
  }

  static <T> Reply<T> accepted(T value) {
    return new Accepted<>(value);
  }

  static <T> Reply<T> rejected(Rejection rejection) {
    return new Rejected<>(rejection);
  }

  /** The accepted value, or the rejection thrown as {@link Rejection.RejectedException}. */
  T value();
}
