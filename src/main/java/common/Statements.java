package common;

import io.r2dbc.spi.Statement;

/** Small helpers for R2DBC statements. */
public final class Statements {
  private Statements() {}

  /** Binds the value, or SQL NULL of the given type when the value is null. */
  public static Statement bindNullable(
      Statement statement, int index, Object value, Class<?> type) {
    return value == null ? statement.bindNull(index, type) : statement.bind(index, value);
  }
}
