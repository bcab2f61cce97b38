package catalog;

import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/** One page of a listing; page numbers start at 0. */
public record Page<T>(List<T> items, int page, int size, long total) {

  /**
   * Reads a page in one session: the total from the count statement (a column named total), then
   * the page's rows from the select statement, which holds the LIMIT and OFFSET of page and size.
   */
  public static <T> CompletionStage<Page<T>> read(
      R2dbcSession session,
      Statement count,
      Statement select,
      Function<Row, T> mapper,
      int page,
      int size) {
    return session
        .selectOne(count, row -> row.get("total", Long.class))
        .thenCompose(
            total ->
                session
                    .select(select, mapper::apply)
                    .thenApply(items -> new Page<>(items, page, size, total.orElse(0L))));
  }
}
