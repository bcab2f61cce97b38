package storefront.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs one node until it is stopped (SIGTERM or Ctrl-C leave the cluster gracefully). */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Start a node of the shop: HTTP API, cluster member, entities.")
public final class ServeCommand implements Callable<Integer> {

  @Option(names = "--http-port", description = "HTTP API port (default 8080).")
  Integer httpPort;

  @Option(names = "--remote-port", description = "Akka remoting port (default 2551).")
  Integer remotePort;

  @Option(
      names = "--remote-bind-port",
      description =
          "Port remoting binds when something (a relay, NAT) forwards --remote-port to it"
              + " (default: --remote-port).")
  Integer remoteBindPort;

  @Option(
      names = "--remote-client-host",
      description =
          "Local address this node's remoting connections to other nodes come from (default:"
              + " any).")
  String remoteClientHost;

  @Option(names = "--management-port", description = "Akka Management port (default 8558).")
  Integer managementPort;

  @Option(
      names = "--seed-node",
      description =
          "Seed node address, repeatable, e.g. akka://storefront@127.0.0.1:2551 (default: this"
              + " node alone).")
  List<String> seedNodes;

  @Option(names = "--no-sample-data", description = "Do not load the built-in sample catalog.")
  boolean noSampleData;

  @Option(
      names = "--demo",
      description =
          "Demo mode: without STOREFRONT_ADMIN_TOKEN and STOREFRONT_TOKEN_SECRET, use the"
              + " well-known ones from the README. For trying the shop on one machine only.")
  boolean demo;

  @Override
  public Integer call() throws Exception {
    Node node = Node.start(config());
    node.system().getWhenTerminated().toCompletableFuture().join();
    return 0;
  }

  private Config config() {
    Config overrides = ConfigFactory.empty();
    if (httpPort != null) {
      overrides =
          overrides.withValue("storefront.http.port", ConfigValueFactory.fromAnyRef(httpPort));
    }
    if (remotePort != null) {
      overrides =
          overrides.withValue(
              "akka.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(remotePort));
    }
    if (remoteBindPort != null) {
      overrides =
          overrides.withValue(
              "akka.remote.artery.bind.port", ConfigValueFactory.fromAnyRef(remoteBindPort));
    }
    if (remoteClientHost != null) {
      overrides =
          overrides.withValue(
              "akka.remote.artery.advanced.tcp.outbound-client-hostname",
              ConfigValueFactory.fromAnyRef(remoteClientHost));
    }
    if (managementPort != null) {
      overrides =
          overrides.withValue(
              "akka.management.http.port", ConfigValueFactory.fromAnyRef(managementPort));
    }
    if (seedNodes != null && !seedNodes.isEmpty()) {
      overrides =
          overrides.withValue(
              "akka.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedNodes));
    }
    if (demo) {
      overrides = overrides.withValue("storefront.auth.demo", ConfigValueFactory.fromAnyRef(true));
    }
    if (noSampleData) {
      overrides =
          overrides.withValue("storefront.sample-data", ConfigValueFactory.fromAnyRef(false));
    }
    return NodeConfig.load(overrides);
  }
}
