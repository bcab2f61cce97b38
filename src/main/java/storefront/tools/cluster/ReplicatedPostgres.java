package storefront.tools.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A replicated PostgreSQL from Debian's packages (pg_auto_failover): a monitor, a primary and a
 * synchronous standby on 127.0.0.1, for a database kill that runs on one machine. Every commit
 * waits until the standby has it, so a kill -9 of the primary loses nothing acknowledged; the
 * monitor then promotes the standby, and nodes find it through a multi-host R2DBC URL that keeps
 * the host that is not in recovery ({@link #url}). Members are "monitor", "1" and "2"; data node k
 * listens on the base port + k - 1, the monitor on the base port + 2.
 *
 * <p>pg_autoctl refuses to run as root; as root, every command runs as the postgres user (setpriv),
 * which then owns the data.
 */
final class ReplicatedPostgres {
  static final String INSTALL =
      "apt-get install postgresql-15 postgresql-15-auto-failover (Debian's packages)";

  static final List<String> MEMBERS = List.of("monitor", "1", "2");

  /**
   * How soon the monitor acts (pg_auto_failover's defaults take 20-30 s): a health check every
   * second, a node unhealthy after 3 s without one, and 2 s for an unreachable primary to demote
   * itself before the standby takes over. The monitor's events of a kill, before the last was cut
   * from 5 s: unhealthy +1.1 s, promotion starts +3.1 s, standby promoted +5.9 s, old primary given
   * up and writes taken +8.9 s. A shorter demote wait is safe here because commits are synchronous:
   * a primary cut off from its standby acknowledges nothing more.
   */
  private static final String MONITOR_SETTINGS =
      "pgautofailover.health_check_period = 1000\n"
          + "pgautofailover.health_check_timeout = 1000\n"
          + "pgautofailover.health_check_max_retries = 1\n"
          + "pgautofailover.health_check_retry_delay = 500\n"
          + "pgautofailover.node_considered_unhealthy_timeout = 3000\n"
          + "pgautofailover.primary_demote_timeout = 2000\n";

  /** Three nodes of 38 connections each, restarts, and the tools (persistence.conf). */
  private static final String NODE_SETTINGS = "max_connections = 300\n";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path directory;
  private final int basePort;
  private final Path binaries;

  private ReplicatedPostgres(Path directory, int basePort, Path binaries) {
    this.directory = directory;
    this.basePort = basePort;
    this.binaries = binaries;
  }

  /**
   * The formation kept in the directory, on ports from the base.
   *
   * @throws IllegalStateException saying what to install, or why the postgres user cannot use it
   */
  static ReplicatedPostgres in(Path directory, int basePort) throws IOException {
    ReplicatedPostgres formation = new ReplicatedPostgres(directory, basePort, requireInstalled());
    // pg_autoctl uses the runtime directory for its pid files only if it exists.
    Files.createDirectories(directory.resolve("run"));
    if (runsAsRoot()) {
      requireReachableByPostgres(directory);
      Files.setOwner(directory, postgresUser());
      Files.setOwner(directory.resolve("run"), postgresUser());
    }
    return formation;
  }

  /** PostgreSQL's binaries of the newest version that has pg_auto_failover's extension. */
  static Path requireInstalled() throws IOException {
    if (!Files.isExecutable(Path.of("/usr/bin/pg_autoctl"))) {
      throw new IllegalStateException("a replicated PostgreSQL needs pg_auto_failover: " + INSTALL);
    }
    Path versions = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(versions)) {
      try (Stream<Path> installed = Files.list(versions)) {
        Optional<Path> newest =
            installed
                .filter(version -> Files.exists(version.resolve("lib/pgautofailover.so")))
                .max(
                    Comparator.comparing(
                        version -> Integer.parseInt(version.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      }
    }
    throw new IllegalStateException(
        "pg_autoctl is installed but no PostgreSQL with its extension: " + INSTALL);
  }

  int port(String member) {
    return member.equals("monitor") ? basePort + 2 : basePort + Integer.parseInt(member) - 1;
  }

  /**
   * The URL nodes and tools connect with: both data nodes, whichever is the primary. The driver
   * remembers which host was the primary for hostRecheckTime (10 s by default): 1 s, so that a new
   * connection after a failover finds the promoted standby soon.
   */
  static String url(int basePort) {
    return "r2dbc:postgresql:failover://postgres@127.0.0.1:"
        + basePort
        + ",127.0.0.1:"
        + (basePort + 1)
        + "/postgres?targetServerType=primary&connectTimeout=PT3S&hostRecheckTime=PT1S";
  }

  boolean created(String member) {
    return Files.exists(pgdata(member).resolve("PG_VERSION"));
  }

  /**
   * Creates the member's database (the monitor; node 1, which becomes the primary; node 2, which
   * copies it as the standby), with this formation's settings. Returns when it is registered; node
   * 2 needs the primary running.
   */
  void create(String member, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("/usr/bin/pg_autoctl", "create"));
    if (member.equals("monitor")) {
      command.add("monitor");
    } else {
      command.addAll(
          List.of(
              "postgres",
              "--name",
              "node" + member,
              "--monitor",
              "postgres://autoctl_node@127.0.0.1:"
                  + port("monitor")
                  + "/pg_auto_failover?sslmode=disable"));
    }
    command.addAll(
        List.of(
            "--pgdata",
            pgdata(member).toString(),
            "--pgport",
            String.valueOf(port(member)),
            "--hostname",
            "127.0.0.1",
            "--listen",
            "127.0.0.1",
            "--auth",
            "trust",
            "--no-ssl"));
    Process create =
        builder(command).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!create.waitFor(3, TimeUnit.MINUTES) || create.exitValue() != 0) {
      create.destroyForcibly();
      throw new IllegalStateException("pg_autoctl create " + member + " failed; see " + log);
    }
    // pg_autoctl create leaves the server stopped: settings added now apply from the first run.
    Files.writeString(
        pgdata(member).resolve("postgresql.conf"),
        member.equals("monitor") ? MONITOR_SETTINGS : NODE_SETTINGS,
        StandardOpenOption.APPEND);
  }

  /** Starts the member's pg_autoctl, which starts its PostgreSQL and keeps its role. */
  Process run(String member, Path log) throws IOException {
    return builder(List.of("/usr/bin/pg_autoctl", "run", "--pgdata", pgdata(member).toString()))
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** Each data node's state as the monitor has it ("1" → "primary"); empty when it cannot say. */
  Map<String, String> states() throws InterruptedException {
    try {
      Process show =
          builder(
                  List.of(
                      "/usr/bin/pg_autoctl",
                      "show",
                      "state",
                      "--pgdata",
                      pgdata("monitor").toString(),
                      "--json"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(show.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!show.waitFor(10, TimeUnit.SECONDS) || show.exitValue() != 0) {
        show.destroyForcibly();
        return Map.of();
      }
      Map<String, String> states = new java.util.TreeMap<>();
      for (JsonNode node : JSON.readTree(out)) {
        String reported = node.path("current_group_state").asText();
        String assigned = node.path("assigned_group_state").asText();
        states.put(
            node.path("nodename").asText().replace("node", ""),
            reported.equals(assigned) ? reported : reported + "→" + assigned);
      }
      return states;
    } catch (IOException e) {
      return Map.of();
    }
  }

  /** The data node that takes writes now, if the monitor knows one. */
  Optional<String> primary() throws InterruptedException {
    return states().entrySet().stream()
        .filter(e -> e.getValue().equals("primary") || e.getValue().equals("wait_primary"))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** Waits until node 1 runs alone as the primary, before its standby is created. */
  void awaitPrimaryAlone(Duration timeout, Path log) throws InterruptedException {
    await(states -> "single".equals(states.get("1")), "node 1 alone as the primary", timeout, log);
  }

  /** Waits until one data node is the primary and the other its synchronous standby. */
  void awaitPrimaryWithStandby(Duration timeout, Path log) throws InterruptedException {
    await(
        states ->
            states.size() == 2
                && states.containsValue("primary")
                && states.containsValue("secondary"),
        "a primary with a synchronous standby",
        timeout,
        log);
  }

  private void await(
      Predicate<Map<String, String>> reached, String what, Duration timeout, Path log)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> seen = Map.of();
    while (System.nanoTime() < deadline) {
      seen = states();
      if (reached.test(seen)) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "the replicated PostgreSQL has no "
            + what
            + " after "
            + timeout
            + " (states "
            + seen
            + "); see "
            + log);
  }

  private Path pgdata(String member) {
    return directory.resolve(member.equals("monitor") ? "monitor" : "node" + member);
  }

  /**
   * A command as the postgres user when this runs as root, with pg_autoctl's configuration kept in
   * the formation's directory (it otherwise writes under the user's home).
   */
  private ProcessBuilder builder(List<String> command) {
    List<String> full = new ArrayList<>();
    if (runsAsRoot()) {
      full.addAll(List.of("setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"));
    }
    full.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", binaries + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("PG_CONFIG", binaries.resolve("pg_config").toString());
    env.put("HOME", directory.toString());
    env.put("XDG_CONFIG_HOME", directory.resolve("config").toString());
    env.put("XDG_DATA_HOME", directory.resolve("share").toString());
    // Its pid files, which otherwise go to /tmp/pg_autoctl and outlive the formation.
    env.put("XDG_RUNTIME_DIR", directory.resolve("run").toString());
    return builder;
  }

  private static boolean runsAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static UserPrincipal postgresUser() throws IOException {
    try {
      return Path.of("/")
          .getFileSystem()
          .getUserPrincipalLookupService()
          .lookupPrincipalByName("postgres");
    } catch (IOException e) {
      throw new IllegalStateException("no postgres user: " + INSTALL, e);
    }
  }

  /** The postgres user must be able to walk down to the data: every parent searchable by others. */
  private static void requireReachableByPostgres(Path directory) throws IOException {
    for (Path parent = directory.toAbsolutePath().getParent();
        parent != null;
        parent = parent.getParent()) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(parent);
      if (!permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new IllegalStateException(
            "the postgres user cannot reach "
                + directory
                + " ("
                + parent
                + " is not searchable by others): choose a --dir under a path it can reach");
      }
    }
  }
}
