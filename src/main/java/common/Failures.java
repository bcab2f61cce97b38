package common;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** What a failed CompletionStage failed with, without the wrappers the stages add around it. */
public final class Failures {
  private Failures() {}

  /** The failure inside any CompletionException or ExecutionException wrapping it. */
  public static Throwable unwrapped(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
