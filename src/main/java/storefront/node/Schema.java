package storefront.node;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies the DDL in ddl-scripts/ of the configured flavour at start; every statement is
 * idempotent.
 */
public final class Schema {
  private Schema() {}

  public static CompletionStage<Done> apply(ActorSystem<?> system) {
    DatabaseFlavour flavour =
        DatabaseFlavour.fromConfig(system.settings().config().getConfig("storefront"));
    // One transaction per statement: CockroachDB cannot use a table in the transaction that
    // created it with a foreign key, and each statement stands alone (IF NOT EXISTS). A statement
    // rolled back for a conflict (another node applying the same DDL) runs again (DatabasePool).
    // DDL reports no row count, which update() cannot take, so each runs as a query that yields no
    // rows.
    CompletionStage<Done> applied = CompletableFuture.completedFuture(Done.getInstance());
    for (String sql : statements(flavour)) {
      applied =
          applied.thenCompose(
              done ->
                  DatabasePool.JOURNAL.withSession(
                      system,
                      session ->
                          session
                              .select(session.createStatement(sql), row -> row)
                              .thenApply(rows -> Done.getInstance())));
    }
    return applied;
  }

  /** Every statement of the flavour's scripts, in order. */
  static List<String> statements(DatabaseFlavour flavour) {
    List<String> statements = new ArrayList<>();
    flavour.scripts().forEach(script -> statements.addAll(statements(read(script))));
    return statements;
  }

  static List<String> statements(String script) {
    String withoutComments =
        String.join("\n", script.lines().filter(line -> !line.strip().startsWith("--")).toList());
    return Arrays.stream(withoutComments.split(";"))
        .map(String::strip)
        .filter(statement -> !statement.isEmpty())
        .toList();
  }

  private static String read(String script) {
    try (InputStream in =
        Schema.class.getClassLoader().getResourceAsStream("ddl-scripts/" + script)) {
      if (in == null) {
        throw new IllegalStateException("ddl-scripts/" + script + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
