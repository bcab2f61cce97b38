package storefront;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Applies the DDL in ddl-scripts/ at start; every statement is idempotent. */
public final class Schema {
  static final List<String> POSTGRES_SCRIPTS =
      List.of(
          "01_akka_postgres.sql",
          "02_catalog.sql",
          "03_payment_gateway.sql",
          "04_order_read_side.sql",
          "05_cart_read_side.sql",
          "06_inventory_read_side.sql",
          "07_analytics_views.sql");

  private Schema() {}

  public static CompletionStage<Done> apply(ActorSystem<?> system) {
    List<String> statements = new ArrayList<>();
    POSTGRES_SCRIPTS.forEach(script -> statements.addAll(statements(read(script))));
    return R2dbcSession.withSession(
        system,
        session -> {
          // One after the other, in order. DDL reports no row count, which update() cannot take,
          // so each statement runs as a query that yields no rows.
          CompletionStage<Done> applied = CompletableFuture.completedFuture(Done.getInstance());
          for (String sql : statements) {
            applied =
                applied.thenCompose(
                    done ->
                        session
                            .select(session.createStatement(sql), row -> row)
                            .thenApply(rows -> Done.getInstance()));
          }
          return applied;
        });
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
