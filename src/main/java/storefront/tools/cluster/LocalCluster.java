package storefront.tools.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import storefront.node.DatabaseClient;
import storefront.tools.NodeHttp;

/**
 * A database and N nodes of the shop as separate JVM processes on 127.0.0.1, each with its own
 * ports and log file. What runs is written to a state file in the cluster's directory, so that
 * later commands (kill, stop, restart, stop-all) find every process by its pid, and by its start
 * time: a pid the system has since given to another process (after a reboot, say) is never
 * signalled.
 */
public final class LocalCluster {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private static final String HEAP = "-Xmx512m";

  private final Path directory;
  private final Properties state = new Properties();
  private final ClusterSecrets secrets;
  private final NodeHttp probe = new NodeHttp(Duration.ofSeconds(2));

  /** Set by {@link #partitionable()}: lives only as long as this object, never in the state. */
  private boolean partitionable;

  private RemotingRelay relay;
  private final Map<Integer, Integer> remoteBindPorts = new HashMap<>();

  /** Ports of one node. */
  public record NodePorts(int http, int remote, int management) {}

  /** A cluster whose processes run this JVM's own classpath (the jar, or the build's classes). */
  public LocalCluster(Path directory) throws IOException {
    this.directory = directory;
    Files.createDirectories(directory);
    this.secrets = ClusterSecrets.loadOrCreate(secretsFile());
    if (Files.exists(stateFile())) {
      try (InputStream in = Files.newInputStream(stateFile())) {
        state.load(in);
      }
    }
  }

  /** Where the nodes' data goes: the build's embedded PostgreSQL, or a replicated one. */
  public enum Database {
    /** One embedded PostgreSQL server (the `db` command), from Maven Central. */
    EMBEDDED,
    /** A primary and a synchronous standby with a monitor ({@link ReplicatedPostgres}). */
    HA
  }

  public void start(int nodes, int dbPort, int httpBase, int remoteBase, int managementBase)
      throws IOException, InterruptedException {
    start(nodes, Database.EMBEDDED, dbPort, httpBase, remoteBase, managementBase);
  }

  public void start(
      int nodes, Database database, int dbPort, int httpBase, int remoteBase, int managementBase)
      throws IOException, InterruptedException {
    boolean running =
        state.stringPropertyNames().stream()
            .anyMatch(key -> key.endsWith(".pid") && process(key).isPresent());
    if (running) {
      throw new IllegalStateException(
          "a cluster still runs from " + directory + "; stop it first (cluster stop-all)");
    }
    state.clear();
    state.setProperty("nodes", String.valueOf(nodes));
    state.setProperty("db.port", String.valueOf(dbPort));
    state.setProperty("db.kind", database.name());
    for (int n = 1; n <= nodes; n++) {
      state.setProperty("node." + n + ".http", String.valueOf(httpBase + n - 1));
      state.setProperty("node." + n + ".remote", String.valueOf(remoteBase + n - 1));
      state.setProperty("node." + n + ".management", String.valueOf(managementBase + n - 1));
    }
    if (partitionable) {
      startRelay();
    }
    startDatabase();
    // The first node forms the cluster and loads the sample catalog alone; the others then join.
    startNode(1);
    awaitReady(1, Duration.ofSeconds(120));
    for (int n = 2; n <= nodes; n++) {
      startNode(n);
    }
    for (int n = 2; n <= nodes; n++) {
      awaitReady(n, Duration.ofSeconds(120));
    }
    awaitMembersUp(nodes, Duration.ofSeconds(60));
  }

  /**
   * Makes the cluster about to be started partitionable: its nodes talk to each other through a
   * {@link RemotingRelay} run by this process, which {@link #isolate} and {@link #heal} cut and
   * join. Nodes of such a cluster can only be restarted through this object.
   */
  public void partitionable() {
    partitionable = true;
  }

  private void startRelay() throws IOException {
    int bindBase = FreePorts.range(nodes());
    Map<Integer, RemotingRelay.Ports> relayed = new HashMap<>();
    for (int n = 1; n <= nodes(); n++) {
      remoteBindPorts.put(n, bindBase + n - 1);
      relayed.put(n, new RemotingRelay.Ports(ports(n).remote(), bindBase + n - 1));
    }
    relay = RemotingRelay.start(relayed);
  }

  /** Cuts node n off from the other nodes (not from clients, nor from the database). */
  public void isolate(int n) {
    requireNode(n);
    requireRelay().isolate(n);
  }

  /** Ends the partition. */
  public void heal() {
    requireRelay().heal();
  }

  private RemotingRelay requireRelay() {
    if (relay == null) {
      throw new IllegalStateException("the cluster was not started partitionable");
    }
    return relay;
  }

  public Database database() {
    return Database.valueOf(state.getProperty("db.kind", Database.EMBEDDED.name()));
  }

  /**
   * The R2DBC URL of a replicated database, which nodes and tools connect with wherever its primary
   * is now; empty for the embedded one (127.0.0.1 and {@link #databasePort}).
   */
  public String databaseUrl() {
    return database() == Database.HA ? ReplicatedPostgres.url(databasePort()) : "";
  }

  public int databasePort() {
    return Integer.parseInt(state.getProperty("db.port"));
  }

  /** A client of the cluster's database for a tool running in this process. */
  public DatabaseClient databaseClient(String name) {
    return new DatabaseClient(name, "127.0.0.1", databasePort(), databaseUrl());
  }

  /** The options that point a tool (datagen, audit) at the cluster's database. */
  public List<String> databaseOptions() {
    List<String> options = new ArrayList<>(List.of("--db-port", String.valueOf(databasePort())));
    if (database() == Database.HA) {
      options.addAll(List.of("--db-url", databaseUrl()));
    }
    return options;
  }

  private ReplicatedPostgres replicated() throws IOException {
    return ReplicatedPostgres.in(directory.resolve("ha"), databasePort());
  }

  /** Starts the database on its port and data directory, and waits until it accepts work. */
  public void startDatabase() throws IOException, InterruptedException {
    if (database() == Database.HA) {
      startReplicatedDatabase();
      return;
    }
    long logSeen = Files.exists(log("db")) ? Files.readString(log("db")).length() : 0;
    Process db =
        launch(
            "db",
            List.of(
                "db",
                "--port",
                String.valueOf(databasePort()),
                "--data-dir",
                directory.resolve("postgres").toString()));
    remember("db.pid", db);
    save();
    awaitLogLine("db", logSeen, "PostgreSQL ready", Duration.ofSeconds(90));
  }

  /**
   * Starts each member of the replicated database that is not running, creating the formation the
   * first time (monitor, then node 1, the primary, then node 2, its standby); returns when one data
   * node is the primary and the other its synchronous standby.
   */
  private void startReplicatedDatabase() throws IOException, InterruptedException {
    ReplicatedPostgres formation = replicated();
    Path log = log("db");
    for (String member : ReplicatedPostgres.MEMBERS) {
      if (process(memberKey(member)).isPresent()) {
        continue;
      }
      if (!formation.created(member)) {
        formation.create(member, log);
      }
      remember(memberKey(member), formation.run(member, log));
      save();
      if (member.equals("1") && !formation.created("2")) {
        // The standby copies the primary: it must run, and be registered as the only node.
        formation.awaitPrimaryAlone(Duration.ofSeconds(60), log);
      }
    }
    formation.awaitPrimaryWithStandby(Duration.ofMinutes(2), log);
  }

  private static String memberKey(String member) {
    return "db." + member + ".pid";
  }

  /**
   * kill -9 of the replicated database's primary, its pg_autoctl and its PostgreSQL, as if its
   * machine died; returns which data node it was ("1" or "2").
   */
  public String killDatabasePrimary() throws IOException, InterruptedException {
    String primary =
        replicated()
            .primary()
            .orElseThrow(() -> new IllegalStateException("the monitor knows no primary"));
    Optional<ProcessHandle> keeper = process(memberKey(primary));
    if (keeper.isPresent()) {
      killTree(keeper.get());
    }
    awaitExit(memberKey(primary), Duration.ofSeconds(10));
    return primary;
  }

  /**
   * kill -9 of a process and everything it started. pg_autoctl restarts a child that dies, so the
   * tree is first stopped (SIGSTOP) until it no longer grows: a stopped process starts nothing, and
   * a child whose parent died would no longer be found as a descendant.
   */
  private static void killTree(ProcessHandle root) throws IOException, InterruptedException {
    Set<ProcessHandle> tree = new HashSet<>();
    while (true) {
      Set<ProcessHandle> now = new HashSet<>(root.descendants().toList());
      now.add(root);
      List<String> stop = new ArrayList<>(List.of("kill", "-STOP"));
      now.forEach(process -> stop.add(String.valueOf(process.pid())));
      new ProcessBuilder(stop).redirectErrorStream(true).start().waitFor();
      if (tree.containsAll(now)) {
        break;
      }
      tree.addAll(now);
    }
    tree.forEach(ProcessHandle::destroyForcibly);
  }

  /** The data node that takes writes now, as the replicated database's monitor says. */
  public Optional<String> databasePrimary() throws IOException, InterruptedException {
    return replicated().primary();
  }

  /** The replicated database's data nodes and their states, as its monitor says. */
  public Map<String, String> databaseStates() throws IOException, InterruptedException {
    return replicated().states();
  }

  /** Stops the database (a fast shutdown: open connections are cut), leaving the nodes running. */
  public void stopDatabase() {
    if (database() == Database.HA) {
      // The data nodes first: a monitor gone before them would leave them waiting for it.
      for (String member : List.of("1", "2", "monitor")) {
        process(memberKey(member)).ifPresent(ProcessHandle::destroy);
        awaitExit(memberKey(member), Duration.ofSeconds(60));
      }
      return;
    }
    process("db.pid").ifPresent(ProcessHandle::destroy);
    awaitExit("db.pid", Duration.ofSeconds(60));
  }

  /**
   * Starts HAProxy on the port, in front of every node, and waits until it serves a request.
   *
   * @throws IllegalStateException when haproxy is not installed or does not come up
   */
  public void startLoadBalancer(int port) throws IOException, InterruptedException {
    Path binary = LoadBalancer.requireBinary();
    List<NodePorts> all = new ArrayList<>();
    for (int n = 1; n <= nodes(); n++) {
      all.add(ports(n));
    }
    Process haproxy = LoadBalancer.start(binary, directory, port, all);
    remember("haproxy.pid", haproxy);
    state.setProperty("haproxy.port", String.valueOf(port));
    save();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (probe.status(loadBalancerUrl().orElseThrow() + "/categories") != 200) {
      if (!haproxy.isAlive() || System.nanoTime() > deadline) {
        throw new IllegalStateException("haproxy did not come up; see " + log("haproxy"));
      }
      Thread.sleep(250);
    }
  }

  /** The load balancer's URL, when one was started. */
  public Optional<String> loadBalancerUrl() {
    return Optional.ofNullable(state.getProperty("haproxy.port"))
        .map(port -> "http://127.0.0.1:" + port);
  }

  public boolean loadBalancerRunning() {
    return process("haproxy.pid").isPresent();
  }

  /**
   * Starts node n. Its seed nodes are the nodes running now, so a node started into a running
   * cluster can only join it: a node first in its own seed list forms a new cluster when the others
   * do not answer within the seed timeout, which a restarted first node did under load (seen: two
   * clusters, each running the same entities; the journal's keys refused the second writer). Only
   * when nothing runs does the node list itself, and form the cluster.
   */
  public void startNode(int n) throws IOException {
    NodePorts ports = ports(n);
    List<String> seeds = new ArrayList<>();
    for (int s = 1; s <= nodes(); s++) {
      if (s != n && alive(s)) {
        seeds.add("--seed-node");
        seeds.add("akka://storefront@127.0.0.1:" + ports(s).remote());
      }
    }
    if (seeds.isEmpty()) {
      seeds.add("--seed-node");
      seeds.add("akka://storefront@127.0.0.1:" + ports.remote());
    }
    List<String> args =
        new ArrayList<>(
            List.of(
                "serve",
                "--http-port",
                String.valueOf(ports.http()),
                "--remote-port",
                String.valueOf(ports.remote()),
                "--management-port",
                String.valueOf(ports.management())));
    args.addAll(seeds);
    if (remoteBindPorts.containsKey(n)) {
      args.addAll(
          List.of(
              "--remote-bind-port",
              String.valueOf(remoteBindPorts.get(n)),
              "--remote-client-host",
              RemotingRelay.clientHost(n)));
    }
    if (n > 1) {
      args.add("--no-sample-data");
    }
    Process node = launch("node-" + n, args);
    remember("node." + n + ".pid", node);
    save();
  }

  /** kill -9: the node gets no chance to leave the cluster. */
  public void kill(int n) {
    requireNode(n);
    process("node." + n + ".pid").ifPresent(ProcessHandle::destroyForcibly);
    awaitExit("node." + n + ".pid", Duration.ofSeconds(10));
  }

  /** SIGTERM: the node leaves the cluster and hands its shards over. */
  public void stop(int n) {
    requireNode(n);
    process("node." + n + ".pid").ifPresent(ProcessHandle::destroy);
    awaitExit("node." + n + ".pid", Duration.ofSeconds(60));
  }

  public void restart(int n) throws IOException, InterruptedException {
    stop(n);
    startNode(n);
    awaitReady(n, Duration.ofSeconds(120));
  }

  /**
   * Stops the load balancer, every node, then the database; each by the pid it was started with.
   */
  public void stopAll() {
    process("haproxy.pid").ifPresent(ProcessHandle::destroy);
    awaitExit("haproxy.pid", Duration.ofSeconds(10));
    for (int n = 1; n <= nodes(); n++) {
      process("node." + n + ".pid").ifPresent(ProcessHandle::destroy);
    }
    for (int n = 1; n <= nodes(); n++) {
      awaitExit("node." + n + ".pid", Duration.ofSeconds(60));
    }
    stopDatabase();
    if (relay != null) {
      relay.close();
    }
  }

  public int nodes() {
    return Integer.parseInt(state.getProperty("nodes", "0"));
  }

  public NodePorts ports(int n) {
    requireNode(n);
    return new NodePorts(
        Integer.parseInt(state.getProperty("node." + n + ".http")),
        Integer.parseInt(state.getProperty("node." + n + ".remote")),
        Integer.parseInt(state.getProperty("node." + n + ".management")));
  }

  private void requireNode(int n) {
    if (n < 1 || n > nodes()) {
      throw new IllegalStateException(
          nodes() == 0
              ? "no cluster was started from " + directory + " (cluster start)"
              : "no node " + n + " in " + directory + ": nodes are 1 to " + nodes());
    }
  }

  public boolean alive(int n) {
    return process("node." + n + ".pid").isPresent();
  }

  public String url(int n) {
    return "http://127.0.0.1:" + ports(n).http();
  }

  /** Waits until the node's readiness check answers 200. */
  public void awaitReady(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (probe.status("http://127.0.0.1:" + ports(n).management() + "/ready") == 200
          && probe.status(url(n) + "/categories") == 200) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node " + n + " not ready after " + timeout + "; see its log");
  }

  /** Waits until some live node counts this many members Up. */
  public void awaitMembersUp(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (membersUp() == count) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(count + " members not Up after " + timeout);
  }

  /** Members with status Up, as the first live node sees them (-1 when none answers). */
  public long membersUp() {
    for (int n = 1; n <= nodes(); n++) {
      long up = membersUpSeenBy(n);
      if (up >= 0) {
        return up;
      }
    }
    return -1;
  }

  /** Members with status Up, as node n sees them (-1 when it does not answer). */
  public long membersUpSeenBy(int n) {
    if (!alive(n)) {
      return -1;
    }
    try {
      var members =
          probe
              .get("http://127.0.0.1:" + ports(n).management() + "/cluster/members")
              .path("members");
      long up = 0;
      for (var member : members) {
        if (member.path("status").asText().equals("Up")) {
          up++;
        }
      }
      return up;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Starts a process of this jar. Nodes get the JVM options of STOREFRONT_NODE_JAVA_OPTS (say, to
   * try another garbage collector), by default a heap of 512 MB and the parallel collector (10 %
   * less CPU per order than G1 in the benchmark); the database process gets a 512 MB heap.
   */
  private Process launch(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(JAVA));
    String nodeOptions = System.getenv("STOREFRONT_NODE_JAVA_OPTS");
    if (!name.startsWith("node")) {
      command.add(HEAP);
    } else if (nodeOptions != null && !nodeOptions.isBlank()) {
      command.addAll(List.of(nodeOptions.trim().split("\\s+")));
    } else {
      command.addAll(List.of(HEAP, "-XX:+UseParallelGC"));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), "storefront.Main"));
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()));
    builder.environment().putAll(secrets.environment());
    builder.environment().put("STOREFRONT_DB_MODE", "external");
    builder.environment().put("DB_PORT", String.valueOf(databasePort()));
    if (database() == Database.HA) {
      builder.environment().put("DB_URL", databaseUrl());
    }
    return builder.start();
  }

  /** What the cluster's nodes authenticate with; its tools need them too. */
  public ClusterSecrets secrets() {
    return secrets;
  }

  /** Where {@link #secrets} are kept, for a shell to export. */
  public Path secretsFile() {
    return directory.resolve("secrets.env");
  }

  public Path log(String name) {
    return directory.resolve(name + ".log");
  }

  /** Waits for the line to appear in the log after its first {@code skip} characters. */
  private void awaitLogLine(String name, long skip, String line, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log(name)) && Files.readString(log(name)).indexOf(line, (int) skip) >= 0) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " did not start; see " + log(name));
  }

  /** Records a process this cluster started: its pid, and when it started. */
  private void remember(String key, Process process) {
    state.setProperty(key, String.valueOf(process.pid()));
    state.setProperty(key + ".started", String.valueOf(startedAt(process.toHandle())));
  }

  /** The live process recorded under the key, if it is still the one this cluster started. */
  private Optional<ProcessHandle> process(String key) {
    String pid = state.getProperty(key);
    String started = state.getProperty(key + ".started");
    if (pid == null || started == null) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(pid))
        .filter(ProcessHandle::isAlive)
        .filter(p -> startedAt(p) >= 0 && startedAt(p) == Long.parseLong(started));
  }

  /** When the process started, in milliseconds since the epoch (-1 when the system won't say). */
  static long startedAt(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
  }

  private void awaitExit(String key, Duration timeout) {
    process(key)
        .ifPresent(
            p -> {
              try {
                p.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
              } catch (Exception e) {
                p.destroyForcibly();
              }
            });
  }

  private Path stateFile() {
    return directory.resolve("state.properties");
  }

  private void save() throws IOException {
    try (OutputStream out = Files.newOutputStream(stateFile())) {
      state.store(out, "storefront local cluster: pids and ports");
    }
  }
}
