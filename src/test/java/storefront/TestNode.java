package storefront;

import com.typesafe.config.ConfigFactory;

/** A whole node (cluster of one, HTTP API, entities) against the test database. */
public final class TestNode {
  private TestNode() {}

  /** Starts a node; extra is HOCON that overrides the defaults, e.g. the payment decline rate. */
  public static Node start(String extra) {
    int remotePort = TestDatabase.freePort();
    String config =
        extra
            + "\nstorefront.database.mode = external"
            + "\nakka.persistence.r2dbc.connection-factory.port = "
            + TestDatabase.port()
            + "\nstorefront.http.port = 0"
            + "\nstorefront.payment.latency = 5ms"
            + "\nakka.remote.artery.canonical.port = "
            + remotePort
            + "\nakka.management.http.port = "
            + TestDatabase.freePort()
            // Each node forms its own cluster: never join another test's node.
            + "\nakka.cluster.seed-nodes = [\"akka://storefront@127.0.0.1:"
            + remotePort
            + "\"]"
            // Stopping a node must not exit the test JVM.
            + "\nakka.coordinated-shutdown.exit-jvm = off"
            + "\nakka.cluster.run-coordinated-shutdown-when-down = off";
    return Node.start(NodeConfig.load(ConfigFactory.parseString(config)));
  }
}
