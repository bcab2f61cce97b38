package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import common.DatabasePool;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The container files, which no machine here can run (no container engine): docker-compose accepts
 * the compose files, the image builds with the README's command, and every name and port the files
 * use for each other exists and agrees with the node's configuration. The YAML parser is SnakeYAML,
 * which datafaker already brings.
 */
class ContainerFilesTest {
  private static final List<Path> COMPOSE_FILES =
      List.of(Path.of("docker-compose.yml"), Path.of("docker-compose.postgres.yml"));
  private static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
  private static final Path HAPROXY_CONFIG = Path.of("docker/haproxy.cfg");
  private static final Set<String> LOCAL_HOSTS = Set.of("localhost", "127.0.0.1", "0.0.0.0");

  /** What a node in the image runs with: its configuration files, not this test's environment. */
  private static final Config NODE_DEFAULTS =
      ConfigFactory.parseResources("application.conf")
          .withFallback(ConfigFactory.defaultReference())
          .resolve(ConfigResolveOptions.noSystem());

  private static final Pattern SEED_NODE = Pattern.compile("akka://storefront@([^:/]+):(\\d+)");
  private static final Pattern HOST_REFERENCES =
      Pattern.compile(
          "(?:https?://|r2dbc:postgresql(?::failover)?://(?:[^@/]+@)?|--host=|--join=|"
              + "--advertise-addr=)([\\w.:,-]+)");
  private static final Pattern HAPROXY_SERVER =
      Pattern.compile("^\\s*server\\s+\\S+\\s+([\\w.-]+):(\\d+)\\s.*\\bcheck port (\\d+)");

  @Test
  void dockerComposeAcceptsEveryComposeFile(@TempDir Path output) throws Exception {
    assumeTrue(
        Files.isExecutable(DOCKER_COMPOSE),
        "docker-compose is not installed (Debian: apt-get install docker-compose):"
            + " the compose files are not validated");
    for (Path file : COMPOSE_FILES) {
      File out = output.resolve("out").toFile();
      File err = output.resolve("err").toFile();
      Process config =
          new ProcessBuilder(DOCKER_COMPOSE.toString(), "-f", file.toString(), "config", "-q")
              .redirectOutput(out)
              .redirectError(err)
              .start();
      assertTrue(config.waitFor(60, TimeUnit.SECONDS), file + ": docker-compose config hangs");
      String said = Files.readString(out.toPath()) + Files.readString(err.toPath());
      assertEquals(0, config.exitValue(), file + ": " + said);
      assertEquals("", said.strip(), file + ": docker-compose config warns");
    }
  }

  @Test
  void theImageIsBuiltWithTheReadmesCommand() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    Matcher block = Pattern.compile("(?s)```\\n(.*?)```").matcher(readme);
    assertTrue(block.find(), "the README has a command block");
    String readmeBuild =
        Arrays.stream(block.group(1).split("&&|\\n"))
            .map(String::strip)
            .filter(command -> command.startsWith("mvn "))
            .findFirst()
            .orElse(null);
    assertNotNull(readmeBuild, "the README's first command block builds with Maven");

    List<List<String>> stages = dockerfileStages(Files.readString(Path.of("Dockerfile")));
    assertEquals(2, stages.size(), "a build stage and a runtime stage");
    List<String> buildSteps =
        stages.get(0).stream().filter(step -> step.startsWith("RUN ")).toList();
    assertFalse(buildSteps.isEmpty(), "the build stage runs Maven");
    assertEquals(
        readmeBuild,
        buildSteps.get(buildSteps.size() - 1).substring("RUN ".length()),
        "the Dockerfile's build step and the README's build command");
  }

  @Test
  void everyServiceTheFilesNameExists() throws IOException {
    for (Path file : COMPOSE_FILES) {
      Map<String, Map<String, Object>> services = services(file);
      for (var service : services.entrySet()) {
        String where = file + ", service " + service.getKey() + ": ";
        for (String dependency : dependencies(service.getValue())) {
          assertTrue(services.containsKey(dependency), where + "depends on " + dependency);
        }
        for (String host : referencedHosts(service.getValue())) {
          assertTrue(
              services.containsKey(host) || LOCAL_HOSTS.contains(host),
              where + "names the host " + host);
        }
      }
    }
  }

  @Test
  void everySeedNodeIsTheCanonicalAddressOfANode() throws IOException {
    for (Path file : COMPOSE_FILES) {
      Map<String, Map<String, Object>> services = services(file);
      Set<String> seeds = new TreeSet<>();
      for (var service : services.entrySet()) {
        Matcher seed = SEED_NODE.matcher(String.join(" ", command(service.getValue())));
        while (seed.find()) {
          String where = file + ", " + service.getKey() + "'s seed node " + seed.group() + ": ";
          Map<String, Object> node = services.get(seed.group(1));
          assertNotNull(node, where + "no such service");
          assertEquals("serve", command(node).get(0), where + "not a node");
          Map<String, String> environment = environment(node);
          assertEquals(
              seed.group(1),
              environment.get("STOREFRONT_HOST"),
              where + "the node's remoting host (STOREFRONT_HOST)");
          assertEquals(
              setting(environment, "STOREFRONT_REMOTE_PORT", "akka.remote.artery.canonical.port"),
              seed.group(2),
              where + "the node's remoting port");
          seeds.add(seed.group(1));
        }
      }
      assertFalse(seeds.isEmpty(), file + " lists seed nodes");
    }
  }

  @Test
  void haproxyBalancesEveryNodeAndChecksItsReadiness() throws IOException {
    List<String[]> servers = new ArrayList<>();
    for (String line : Files.readAllLines(HAPROXY_CONFIG)) {
      Matcher server = HAPROXY_SERVER.matcher(line);
      if (server.find()) {
        servers.add(new String[] {server.group(1), server.group(2), server.group(3)});
      }
    }
    assertFalse(servers.isEmpty(), HAPROXY_CONFIG + " has checked servers");
    for (Path file : COMPOSE_FILES) {
      Map<String, Map<String, Object>> services = services(file);
      assertTrue(
          services.values().stream()
              .anyMatch(s -> String.valueOf(s.get("volumes")).contains(HAPROXY_CONFIG.toString())),
          file + " runs HAProxy with " + HAPROXY_CONFIG);
      Set<String> balanced = new TreeSet<>();
      for (String[] server : servers) {
        String where = file + ", HAProxy's server " + server[0] + ": ";
        Map<String, Object> node = services.get(server[0]);
        assertNotNull(node, where + "no such service");
        assertEquals("serve", command(node).get(0), where + "not a node");
        Map<String, String> environment = environment(node);
        assertEquals(
            setting(environment, "STOREFRONT_HTTP_PORT", "storefront.http.port"),
            server[1],
            where + "the node's HTTP port");
        assertEquals(
            setting(environment, "STOREFRONT_MANAGEMENT_PORT", "akka.management.http.port"),
            server[2],
            where + "the node's management port, where /ready is");
        balanced.add(server[0]);
      }
      Set<String> nodes =
          services.entrySet().stream()
              .filter(s -> command(s.getValue()).get(0).equals("serve"))
              .map(Map.Entry::getKey)
              .collect(Collectors.toCollection(TreeSet::new));
      assertEquals(nodes, balanced, file + ": every node behind HAProxy");
    }
  }

  @Test
  void nothingIsPublishedBeyondThisMachine() throws IOException {
    for (Path file : COMPOSE_FILES) {
      for (var service : services(file).entrySet()) {
        for (String port : list(service.getValue().get("ports"))) {
          assertTrue(
              port.startsWith("127.0.0.1:"),
              file + ", " + service.getKey() + " publishes " + port + " beyond 127.0.0.1");
        }
      }
    }
  }

  @Test
  void thePostgresServerTakesEveryNodesPoolsAndATool() throws IOException {
    int perNode =
        Arrays.stream(DatabasePool.values())
            .mapToInt(pool -> NODE_DEFAULTS.getInt(pool.path() + ".max-size"))
            .sum();
    int tool = NODE_DEFAULTS.getInt(DatabasePool.JOURNAL.path() + ".max-size");
    Map<String, Map<String, Object>> services = services(Path.of("docker-compose.postgres.yml"));
    Matcher setting =
        Pattern.compile("max_connections=(\\d+)")
            .matcher(String.join(" ", command(services.get("postgres"))));
    assertTrue(setting.find(), "PostgreSQL's max_connections is set");
    long nodes =
        services.values().stream()
            .filter(s -> command(s).get(0).equals("serve"))
            .filter(s -> "postgres".equals(environment(s).get("DB_HOST")))
            .count();
    assertEquals(3, nodes, "nodes on the postgres service");
    int maxConnections = Integer.parseInt(setting.group(1));
    assertTrue(
        nodes * perNode + tool <= maxConnections,
        nodes + " nodes of " + perNode + " and a tool of " + tool + " > " + maxConnections);
  }

  /** Each stage's instructions, continuation lines joined and comments left out. */
  private static List<List<String>> dockerfileStages(String dockerfile) {
    List<List<String>> stages = new ArrayList<>();
    String joined = dockerfile.replaceAll("\\\\\\n", " ");
    for (String line : joined.split("\\n")) {
      String instruction = line.strip().replaceAll("\\s+", " ");
      if (instruction.isEmpty() || instruction.startsWith("#")) {
        continue;
      }
      if (instruction.startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      assertFalse(stages.isEmpty(), "the Dockerfile starts with FROM");
      stages.get(stages.size() - 1).add(instruction);
    }
    return stages;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file)) {
      Map<String, Object> compose = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
      return (Map<String, Map<String, Object>>) compose.get("services");
    }
  }

  private static List<String> dependencies(Map<String, Object> service) {
    Object dependsOn = service.get("depends_on");
    return dependsOn instanceof Map<?, ?> map
        ? map.keySet().stream().map(String::valueOf).toList()
        : list(dependsOn);
  }

  /** The command as its words (a string command split at blanks); empty when there is none. */
  private static List<String> command(Map<String, Object> service) {
    Object command = service.get("command");
    List<String> words =
        command instanceof String string ? List.of(string.strip().split("\\s+")) : list(command);
    return words.isEmpty() ? List.of("") : words;
  }

  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> environment = new LinkedHashMap<>();
    Object declared = service.get("environment");
    if (declared instanceof Map<?, ?> map) {
      map.forEach((key, value) -> environment.put(String.valueOf(key), String.valueOf(value)));
    } else {
      for (String pair : list(declared)) {
        String[] keyValue = pair.split("=", 2);
        environment.put(keyValue[0], keyValue.length > 1 ? keyValue[1] : "");
      }
    }
    return environment;
  }

  /** Every host a service's command, entrypoint or environment points at. */
  private static Set<String> referencedHosts(Map<String, Object> service) {
    List<String> texts = new ArrayList<>(command(service));
    texts.addAll(list(service.get("entrypoint")));
    Map<String, String> environment = environment(service);
    texts.addAll(environment.values());
    Set<String> hosts = new TreeSet<>();
    Matcher seed = SEED_NODE.matcher(String.join(" ", texts));
    while (seed.find()) {
      hosts.add(seed.group(1));
    }
    Matcher reference = HOST_REFERENCES.matcher(String.join(" ", texts));
    while (reference.find()) {
      for (String hostAndPort : reference.group(1).split(",")) {
        hosts.add(hostAndPort.split(":")[0]);
      }
    }
    if (environment.containsKey("DB_HOST")) {
      hosts.add(environment.get("DB_HOST"));
    }
    List<String> words = command(service);
    for (int i = 0; i + 1 < words.size(); i++) {
      if (words.get(i).equals("--db-host")) {
        hosts.add(words.get(i + 1));
      }
    }
    hosts.remove("");
    return hosts;
  }

  /** A node's setting: from its environment in the compose file, else the node's default. */
  private static String setting(Map<String, String> environment, String variable, String path) {
    return environment.getOrDefault(variable, NODE_DEFAULTS.getString(path));
  }

  private static List<String> list(Object value) {
    if (value == null) {
      return List.of();
    }
    if (value instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return List.of(String.valueOf(value));
  }
}
