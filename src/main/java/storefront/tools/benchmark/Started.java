package storefront.tools.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import storefront.tools.Directories;
import storefront.tools.cluster.LocalCluster;

/**
 * Everything one benchmark run started, in one directory: the local cluster (database and nodes),
 * child processes (datagen, workload, pgbench, jcmd) and the clients inside this JVM. {@link
 * #close} stops them all by pid, once, whether the run ends, fails or is interrupted (Ctrl-C runs
 * it from a shutdown hook).
 */
final class Started implements AutoCloseable {
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final Path directory;
  private final LocalCluster cluster;
  private final List<Process> children = new ArrayList<>();
  private final Deque<AutoCloseable> clients = new ArrayDeque<>();
  private final Map<String, Long> pids = new LinkedHashMap<>();
  private boolean closed;

  Started(Path directory) throws IOException {
    this.directory = directory;
    this.cluster = new LocalCluster(directory);
  }

  Path directory() {
    return directory;
  }

  LocalCluster cluster() {
    return cluster;
  }

  Path log(String name) {
    return directory.resolve(name + ".log");
  }

  /** Starts a command as a child process; its output goes to its log in the run's directory. */
  synchronized Process start(String name, List<String> command, Map<String, String> environment)
      throws IOException {
    if (closed) {
      throw new IllegalStateException("the benchmark is stopping");
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log(name).toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    children.add(process);
    pids.put(name, process.pid());
    return process;
  }

  /** A subcommand of this jar, on this JVM's java and classpath, as LocalCluster starts nodes. */
  Process startTool(String name, List<String> args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                JAVA, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "storefront.Main"));
    command.addAll(args);
    return start(name, command, cluster.secrets().environment());
  }

  /**
   * Waits for the child to exit and returns its exit code.
   *
   * @throws IllegalStateException when it runs past the limit (it is killed)
   */
  int await(Process process, String name, Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(name + " still ran after " + limit + "; see " + log(name));
    }
    return process.exitValue();
  }

  /** A client inside this JVM (an actor system), closed with the run. */
  synchronized <T extends AutoCloseable> T client(T client) {
    if (closed) {
      close(client);
      throw new IllegalStateException("the benchmark is stopping");
    }
    clients.push(client);
    return client;
  }

  /**
   * Notes the pids of the cluster's processes (from its state file) and of the PostgreSQL server
   * (the first line of postmaster.pid), for the CPU figures and the report.
   */
  synchronized void noteClusterPids() throws IOException {
    Properties state = new Properties();
    try (InputStream in = Files.newInputStream(directory.resolve("state.properties"))) {
      state.load(in);
    }
    pids.put("db", Long.parseLong(state.getProperty("db.pid")));
    // LocalCluster keeps the database's data in postgres/ of its directory.
    Path postmasterPid = directory.resolve("postgres").resolve("postmaster.pid");
    pids.put("postmaster", Long.parseLong(Files.readAllLines(postmasterPid).get(0).trim()));
    for (int n = 1; n <= cluster.nodes(); n++) {
      pids.put("node-" + n, Long.parseLong(state.getProperty("node." + n + ".pid")));
    }
    if (state.getProperty("haproxy.pid") != null) {
      pids.put("haproxy", Long.parseLong(state.getProperty("haproxy.pid")));
    }
  }

  /** The node processes' pids, by name (node-1, ...). */
  synchronized Map<String, Long> nodePids() {
    Map<String, Long> nodes = new LinkedHashMap<>();
    for (int n = 1; n <= cluster.nodes(); n++) {
      nodes.put("node-" + n, pid("node-" + n));
    }
    return nodes;
  }

  synchronized long pid(String name) {
    Long pid = pids.get(name);
    if (pid == null) {
      throw new IllegalStateException("no process " + name + " was started");
    }
    return pid;
  }

  /** Every process the run started, by name. */
  synchronized Map<String, Long> pids() {
    return new LinkedHashMap<>(pids);
  }

  /** Child processes first, then the clients in this JVM, then HAProxy, the nodes, the database. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    children.forEach(Process::destroy);
    for (Process child : children) {
      try {
        if (!child.waitFor(10, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        child.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    while (!clients.isEmpty()) {
      close(clients.pop());
    }
    cluster.stopAll();
  }

  /** Removes the run's directory: database files, logs, summaries. */
  void deleteDirectory() {
    Directories.deleteRecursively(directory);
  }

  private static void close(AutoCloseable client) {
    try {
      client.close();
    } catch (Exception e) {
      System.err.println("Stopping " + client + " failed: " + e);
    }
  }
}
