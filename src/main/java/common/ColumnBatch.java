package common;

import io.r2dbc.spi.Statement;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Rows for one statement that takes each column as one bound array and expands them with {@code
 * unnest}: any number of rows in one round trip, and one statement text, so the server plans it
 * once. Null values become SQL NULL elements.
 */
public final class ColumnBatch {
  private final Class<?>[] columnTypes;
  private final List<Object[]> rows = new ArrayList<>();

  /** The Java type of each column, in the order of the statement's parameters. */
  public ColumnBatch(Class<?>... columnTypes) {
    this.columnTypes = columnTypes.clone();
  }

  public void add(Object... values) {
    if (values.length != columnTypes.length) {
      throw new IllegalArgumentException(
          "expected " + columnTypes.length + " values, got " + values.length);
    }
    rows.add(values.clone());
  }

  public boolean isEmpty() {
    return rows.isEmpty();
  }

  public int size() {
    return rows.size();
  }

  /** Adds the statement for these rows to the list, unless there are no rows. */
  public void appendTo(
      List<Statement> statements, Function<String, Statement> createStatement, String sql) {
    if (!rows.isEmpty()) {
      statements.add(bindTo(createStatement.apply(sql)));
    }
  }

  /** Binds column i as the array parameter $(i+1). */
  public Statement bindTo(Statement statement) {
    for (int column = 0; column < columnTypes.length; column++) {
      Object values = Array.newInstance(columnTypes[column], rows.size());
      for (int row = 0; row < rows.size(); row++) {
        Array.set(values, row, rows.get(row)[column]);
      }
      statement.bind(column, values);
    }
    return statement;
  }
}
