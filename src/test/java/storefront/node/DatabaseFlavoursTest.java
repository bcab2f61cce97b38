package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.r2dbc.session.javadsl.R2dbcSession;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import storefront.TestDatabase;

/**
 * The CockroachDB DDL cannot run here, so it is held to the PostgreSQL DDL, which can: with its
 * CockroachDB-only clauses (hash sharding) taken out, every statement runs on the embedded
 * PostgreSQL, each flavour in a schema of its own, and the two schemas end with the same tables,
 * columns, types, constraints, indexes and views.
 */
class DatabaseFlavoursTest {
  /** Hash sharding: a physical layout on CockroachDB, with no PostgreSQL counterpart. */
  private static final Pattern COCKROACH_ONLY =
      Pattern.compile("\\s+USING HASH(\\s+WITH\\s*\\(\\s*bucket_count\\s*=\\s*\\d+\\s*\\))?");

  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("DatabaseFlavoursTest");
  }

  @AfterAll
  static void stop() {
    try {
      for (DatabaseFlavour flavour : DatabaseFlavour.values()) {
        run(List.of("DROP SCHEMA IF EXISTS " + schema(flavour) + " CASCADE"), null);
      }
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static String schema(DatabaseFlavour flavour) {
    return "ddl_" + flavour;
  }

  /** The flavour's statements as PostgreSQL can run them. */
  private static List<String> onPostgres(DatabaseFlavour flavour) {
    return Schema.statements(flavour).stream()
        .map(statement -> COCKROACH_ONLY.matcher(statement).replaceAll(""))
        .toList();
  }

  /** Runs the statements in one transaction, in the schema if one is given. */
  private static void run(List<String> statements, String schema) {
    R2dbcSession.withSession(
            testKit.system(),
            session -> {
              CompletionStage<?> done = CompletableFuture.completedFuture(null);
              if (schema != null) {
                done =
                    session.select(
                        session.createStatement("SET LOCAL search_path TO " + schema), row -> row);
              }
              for (String sql : statements) {
                done =
                    done.thenCompose(
                        previous -> session.select(session.createStatement(sql), row -> row));
              }
              return done;
            })
        .toCompletableFuture()
        .join();
  }

  /** Every table, column, constraint, index and view of the schema, named without the schema. */
  private static Set<String> shape(DatabaseFlavour flavour) {
    String schema = schema(flavour);
    String sql =
        "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' '"
            + " || coalesce(character_maximum_length::text, '') || ' '"
            + " || coalesce(numeric_precision::text || ',' || numeric_scale::text, '')"
            + " || ' nullable=' || is_nullable || ' default=' || coalesce(column_default, '')"
            + " FROM information_schema.columns WHERE table_schema = $1"
            + " UNION ALL SELECT 'constraint ' || conrelid::regclass::text || ' '"
            + " || pg_get_constraintdef(c.oid) FROM pg_constraint c"
            + " JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = $1"
            + " UNION ALL SELECT 'index ' || indexname || ' ' || indexdef FROM pg_indexes"
            + " WHERE schemaname = $1"
            + " UNION ALL SELECT 'view ' || table_name || ' ' || view_definition"
            + " FROM information_schema.views WHERE table_schema = $1";
    return R2dbcSession.withSession(
            testKit.system(),
            session ->
                session.select(
                    session.createStatement(sql).bind(0, schema),
                    row -> row.get(0, String.class).replace(schema + ".", "")))
        .toCompletableFuture()
        .join()
        .stream()
        .collect(Collectors.toSet());
  }

  @Test
  void bothFlavoursBuildTheSameSchemaOnPostgres() {
    for (DatabaseFlavour flavour : DatabaseFlavour.values()) {
      run(List.of("DROP SCHEMA IF EXISTS " + schema(flavour) + " CASCADE"), null);
      run(List.of("CREATE SCHEMA " + schema(flavour)), null);
      run(onPostgres(flavour), schema(flavour));
    }
    Set<String> postgres = shape(DatabaseFlavour.POSTGRES);
    Set<String> cockroach = shape(DatabaseFlavour.COCKROACH);
    assertTrue(postgres.size() > 100, "the shape covers the whole schema: " + postgres.size());
    assertTrue(
        postgres.stream().anyMatch(line -> line.startsWith("view cart_funnel ")),
        "views are compared");
    assertEquals(
        List.of(),
        postgres.stream().filter(line -> !cockroach.contains(line)).sorted().toList(),
        "in the PostgreSQL DDL, not in the CockroachDB DDL");
    assertEquals(
        List.of(),
        cockroach.stream().filter(line -> !postgres.contains(line)).sorted().toList(),
        "in the CockroachDB DDL, not in the PostgreSQL DDL");
  }

  @Test
  void aNodeRefusesAFlavourOrDatabaseItCannotUse() {
    for (String[] refused :
        new String[][] {
          {"storefront.database.flavour = oracle", "use postgres or cockroach"},
          {"storefront.database.flavour = cockroach", "needs an external database"},
          {
            "akka.persistence.r2dbc.connection-factory.url = \"r2dbc:postgresql://db/shop\"",
            "STOREFRONT_DB_MODE is embedded"
          }
        }) {
      Config overrides = ConfigFactory.parseString(refused[0] + "\nstorefront.auth.demo = on");
      ConfigException error =
          assertThrows(ConfigException.class, () -> Node.start(NodeConfig.load(overrides)));
      assertTrue(error.getMessage().contains(refused[1]), error.getMessage());
    }
  }

  @Test
  void theSchemaCommandAppliesTheDdlToAnExternalDatabaseAndRefusesAnEmbeddedOne() {
    assertEquals(1, new CommandLine(new SchemaCommand()).execute(), "embedded: refused");
    System.setProperty("storefront.database.mode", "external");
    System.setProperty(
        "akka.persistence.r2dbc.connection-factory.port", String.valueOf(TestDatabase.port()));
    ConfigFactory.invalidateCaches();
    try {
      assertEquals(
          0, new CommandLine(new SchemaCommand()).execute(), "again on a database that has it");
    } finally {
      System.clearProperty("storefront.database.mode");
      System.clearProperty("akka.persistence.r2dbc.connection-factory.port");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void theCockroachFlavourLooksFurtherBehindForEventsCommittedLate() {
    String behind = "storefront.r2dbc.projections.query.behind-current-time";
    assertEquals(
        Duration.ofMillis(100), NodeConfig.load(ConfigFactory.empty()).getDuration(behind));
    assertEquals(
        Duration.ofMillis(600),
        NodeConfig.load(ConfigFactory.parseString("storefront.database.flavour = cockroach"))
            .getDuration(behind),
        "the projections' read journal too");
  }

  @Test
  void cockroachHashShardsTheIndexesOnKeysThatGrowWithTime() {
    List<String> cockroach = Schema.statements(DatabaseFlavour.COCKROACH);
    for (String index :
        List.of(
            "event_journal_slice_idx",
            "durable_state_slice_idx",
            "akka_projection_timestamp_offset_store",
            "orders_status_idx",
            "carts_status_idx",
            "cart_item_events_time_idx",
            "notifications_time_idx")) {
      assertTrue(
          cockroach.stream()
              .anyMatch(sql -> sql.contains(index) && COCKROACH_ONLY.matcher(sql).find()),
          index + " is hash-sharded on CockroachDB");
    }
    assertFalse(
        Schema.statements(DatabaseFlavour.POSTGRES).stream()
            .anyMatch(sql -> COCKROACH_ONLY.matcher(sql).find()),
        "the PostgreSQL flavour has no CockroachDB-only clause");
    for (String sql : cockroach) {
      assertFalse(
          Pattern.compile("(?i)\\b(SERIAL|SEQUENCE|nextval)\\b").matcher(sql).find(),
          "no sequences on CockroachDB (a single hot range): " + sql);
    }
  }
}
