package storefront;

import com.typesafe.config.ConfigFactory;
import storefront.node.Node;
import storefront.node.NodeConfig;

/** A whole node (cluster of one, HTTP API, entities) against the test database. */
public final class TestNode {
  /** The operators' token of every test node. */
  public static final String ADMIN_TOKEN = "test-admin-token-for-the-suite";

  /** The key shopper tokens of every test node are signed with. */
  public static final String TOKEN_SECRET = "test-token-secret-of-at-least-32-bytes";

  /** What every registered test user signs in with. */
  public static final String PASSWORD = "test-password-of-a-shopper";

  private TestNode() {}

  /** Starts a node; extra is HOCON that overrides the defaults, e.g. the payment decline rate. */
  public static Node start(String extra) {
    return start(extra, TestDatabase.port());
  }

  /** Starts a node against the PostgreSQL on the given port. */
  public static Node start(String extra, int databasePort) {
    return start(extra, databasePort, TestDatabase.freePort(), 0);
  }

  /** Starts a node that joins the cluster whose first node listens on the seed port. */
  public static Node join(int seedPort) {
    return start("", TestDatabase.port(), TestDatabase.freePort(), seedPort);
  }

  public static int remotePort(Node node) {
    return node.system().address().getPort().get();
  }

  private static Node start(String extra, int databasePort, int remotePort, int seedPort) {
    int seed = seedPort == 0 ? remotePort : seedPort;
    // No random declines or carrier failures and a quick gateway and carrier unless a test asks
    // otherwise: a test that checks out expects its outcome. No restock after a sell-out either
    // (SellOutHttpTest asks for one): one arriving 15 s after a test sold a product out changes the
    // stock under an audit that has just compared the journal with the read side.
    String config =
        "storefront.payment.decline-rate = 0\nstorefront.payment.latency = 5ms\n"
            + "storefront.carrier.failure-rate = 0\nstorefront.carrier.latency = 5ms\n"
            + "storefront.inventory.restock-after-sell-out.quantity = 0\n"
            + extra
            + "\nstorefront.database.mode = external"
            + "\nstorefront.auth.admin-token = \""
            + ADMIN_TOKEN
            + "\"\nstorefront.auth.token-secret = \""
            + TOKEN_SECRET
            + "\""
            // The hash's cost is the production setting's business, not the tests'.
            + "\nstorefront.auth.password-iterations = 1000"
            + "\nakka.persistence.r2dbc.connection-factory.port = "
            + databasePort
            + "\nstorefront.http.port = 0"
            + "\nakka.remote.artery.canonical.port = "
            + remotePort
            + "\nakka.management.http.port = "
            + TestDatabase.freePort()
            // A node forms its own cluster unless it is told to join one: never another test's.
            + "\nakka.cluster.seed-nodes = [\"akka://storefront@127.0.0.1:"
            + seed
            + "\"]"
            // Stopping a node must not exit the test JVM.
            + "\nakka.coordinated-shutdown.exit-jvm = off"
            + "\nakka.cluster.run-coordinated-shutdown-when-down = off";
    return Node.start(NodeConfig.load(ConfigFactory.parseString(config)));
  }
}
