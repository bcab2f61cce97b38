package storefront.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import common.DatabasePool;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The node's pools as configured: separate, bounded, and all pointed at the same server. */
class DatabasePoolConfigTest {
  private static final List<DatabasePool> QUERY_POOLS =
      List.of(DatabasePool.SHOP_QUERIES, DatabasePool.OPERATOR_QUERIES);

  private static Config config(String overrides) {
    return NodeConfig.load(ConfigFactory.parseString(overrides));
  }

  @Test
  void theProjectionsReadAndWriteThroughTheirOwnPool() {
    Config config = config("");
    String projections = DatabasePool.PROJECTIONS.path();
    assertEquals(projections, config.getString("akka.projection.r2dbc.use-connection-factory"));
    String readJournal = DatabasePool.PROJECTION_EVENTS.replaceAll("\\.query$", "");
    assertEquals(projections, readJournal + ".connection-factory");
    assertEquals(
        config.getString("akka.persistence.r2dbc.query.class"),
        config.getString(DatabasePool.PROJECTION_EVENTS + ".class"));
    assertEquals(
        config.getDuration("akka.persistence.r2dbc.query.refresh-interval"),
        config.getDuration(DatabasePool.PROJECTION_EVENTS + ".refresh-interval"),
        "the projections poll the journal as often as before");
  }

  @Test
  void onlyTheQueryPoolsCancelLongStatements() {
    Config config = config("");
    for (DatabasePool pool : DatabasePool.values()) {
      String timeout = config.getString(pool.path() + ".statement-timeout");
      if (QUERY_POOLS.contains(pool)) {
        Duration limit = config.getDuration(pool.path() + ".statement-timeout");
        assertTrue(
            limit.compareTo(config.getDuration(pool.path() + ".close-calls-exceeding")) < 0,
            pool + ": the server cancels before the client closes the connection");
      } else {
        assertEquals("off", timeout, pool + " is never canceled");
      }
    }
  }

  @Test
  void everyPoolDropsAllItsStaleConnectionsInOneAcquire() {
    Config config = config("");
    for (DatabasePool pool : DatabasePool.values()) {
      assertEquals(
          config.getInt(pool.path() + ".max-size"),
          config.getInt(pool.path() + ".acquire-retry"),
          pool + ": one try per connection the server may have closed");
    }
  }

  @Test
  void aBusyQueryPoolAnswersBeforeTheHttpServerGivesUp() {
    Config config = config("");
    Duration requestTimeout = config.getDuration("akka.http.server.request-timeout");
    for (DatabasePool pool : QUERY_POOLS) {
      Duration acquiring =
          config
              .getDuration(pool.path() + ".acquire-timeout")
              .multipliedBy(config.getInt(pool.path() + ".acquire-retry") + 1);
      Duration longest = acquiring.plus(config.getDuration(pool.path() + ".statement-timeout"));
      assertTrue(longest.compareTo(requestTimeout) < 0, pool + " may take " + longest);
    }
  }

  @Test
  void fiveNodesAndAToolFitTheEmbeddedServer() {
    Config config = config("");
    int perNode =
        Arrays.stream(DatabasePool.values())
            .mapToInt(pool -> config.getInt(pool.path() + ".max-size"))
            .sum();
    int tool = config.getInt(DatabasePool.JOURNAL.path() + ".max-size");
    assertTrue(
        5 * perNode + tool <= EmbeddedDatabase.MAX_CONNECTIONS, perNode + " connections per node");
  }

  @Test
  void everyPoolFollowsTheServerSettings() {
    Config overridden = config("akka.persistence.r2dbc.connection-factory.port = 6543");
    Config embedded = DatabasePool.server("127.0.0.1", 7654).withFallback(config(""));
    for (DatabasePool pool : DatabasePool.values()) {
      assertEquals(6543, overridden.getInt(pool.path() + ".port"), pool + " before resolving");
      assertEquals(7654, embedded.getInt(pool.path() + ".port"), pool + " set after resolving");
      assertEquals("127.0.0.1", embedded.getString(pool.path() + ".host"));
    }
    assertEquals(
        DatabasePool.values().length,
        Arrays.stream(DatabasePool.values()).map(DatabasePool::path).distinct().count(),
        "no two pools share a configuration");
  }
}
