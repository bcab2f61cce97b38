package common;

import akka.Done;
import akka.projection.r2dbc.javadsl.R2dbcSession;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Small helpers for R2DBC statements. */
public final class Statements {
  private Statements() {}

  /** Binds the value, or SQL NULL of the given type when the value is null. */
  public static Statement bindNullable(
      Statement statement, int index, Object value, Class<?> type) {
    return value == null ? statement.bindNull(index, type) : statement.bind(index, value);
  }

  /** Runs the statements in order in the session's transaction; an empty list does nothing. */
  public static CompletionStage<Done> updateAll(R2dbcSession session, List<Statement> statements) {
    if (statements.isEmpty()) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return session.update(statements).thenApply(counts -> Done.getInstance());
  }
}
