package storefront.tools.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * HAProxy (Debian's package) in front of the local cluster: one URL for clients, round-robin over
 * the nodes' HTTP ports, each node in rotation only while its readiness endpoint says 200.
 */
final class LoadBalancer {
  private static final List<Path> SEARCHED =
      Stream.concat(
              Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
              Stream.of("/usr/sbin", "/usr/local/sbin"))
          .filter(dir -> !dir.isEmpty())
          .map(dir -> Path.of(dir, "haproxy"))
          .toList();

  private LoadBalancer() {}

  /** The haproxy binary, when it is installed. */
  static Optional<Path> binary() {
    return SEARCHED.stream().filter(Files::isExecutable).findFirst();
  }

  /**
   * The haproxy binary.
   *
   * @throws IllegalStateException saying what to install, when it is not installed
   */
  static Path requireBinary() {
    return binary()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "haproxy is not installed (Debian: apt-get install haproxy)"));
  }

  /**
   * The configuration. A request whose connection was refused (it never reached a node) is sent to
   * another node; anything else, a 503 included, goes back to the client, because a request that
   * reached a node may have been applied and only the client knows whether it is safe to repeat.
   * Health checks every second take a dead node out of rotation within about two seconds. A client
   * has 10 s to send a request's head (slowloris), and an idle kept-alive connection is closed
   * after 10 s.
   */
  static String configuration(int port, List<LocalCluster.NodePorts> nodes) {
    StringBuilder config =
        new StringBuilder(
            """
            global
              maxconn 4096

            defaults
              mode http
              timeout connect 2s
              timeout http-request 10s
              timeout http-keep-alive 10s
              timeout queue 5s
              timeout client 30s
              timeout server 30s
              retries 3
              option redispatch 1

            frontend shop
              bind 127.0.0.1:%d
              default_backend nodes

            backend nodes
              balance roundrobin
              option httpchk
              http-check send meth GET uri /ready ver HTTP/1.1 hdr Host 127.0.0.1
              http-check expect status 200
              default-server inter 1s fall 2 rise 2
            """
                .formatted(port));
    for (int n = 0; n < nodes.size(); n++) {
      LocalCluster.NodePorts node = nodes.get(n);
      config.append(
          "  server node-%d 127.0.0.1:%d check port %d%n"
              .formatted(n + 1, node.http(), node.management()));
    }
    return config.toString();
  }

  /** Writes the configuration next to the cluster's state and starts haproxy in the foreground. */
  static Process start(Path binary, Path directory, int port, List<LocalCluster.NodePorts> nodes)
      throws IOException {
    Path config = directory.resolve("haproxy.cfg");
    Files.writeString(config, configuration(port, nodes));
    return new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("haproxy.log").toFile()))
        .start();
  }
}
