package storefront.tools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import storefront.tools.workload.RequestCounts;

/** What a chaos run measured: each kill, the database outage, the client's requests, the audit. */
final class ChaosReport {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One kill: seconds from the kill until each of these happened, and the client's requests from
   * the kill until the node was back.
   */
  record Kill(
      int node,
      double downedAfter,
      Map<String, Double> answeredAfter,
      double caughtUpAfter,
      RequestCounts requests) {
    /** Until the last kind of entity that lived on the node answered again. */
    double allAnsweredAfter() {
      return answeredAfter.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
  }

  private final List<Kill> kills = new ArrayList<>();
  private DatabaseOutage.Result outage;
  private Partition.Result partition;
  private PrimaryKill.Result primaryKill;
  private JsonNode requests = MAPPER.createObjectNode();
  private int auditExit = -1;
  private String failure;

  void kill(Kill kill) {
    kills.add(kill);
  }

  void outage(DatabaseOutage.Result result) {
    outage = result;
  }

  void primaryKill(PrimaryKill.Result result) {
    primaryKill = result;
  }

  void partition(Partition.Result result) {
    partition = result;
  }

  /** The workload summary's request counts (failed attempts, retried, lost). */
  void workloadSummary(Path summaryFile) throws IOException {
    if (Files.exists(summaryFile)) {
      requests = MAPPER.readTree(summaryFile.toFile()).path("requests");
    }
  }

  void audit(int exitCode) {
    auditExit = exitCode;
  }

  /** The run itself broke off, e.g. a node did not come back. */
  void failure(Exception e) {
    failure = e.toString();
  }

  /**
   * The audit passed, and the database outage, the primary kill and the partition (if any) were
   * ridden out.
   */
  boolean passed() {
    return failure == null
        && auditExit == 0
        && (outage == null || outage.passed())
        && (primaryKill == null || primaryKill.passed())
        && (partition == null || partition.passed());
  }

  void print(PrintStream out) {
    out.println();
    out.println(
        "                    seconds after the kill until            client requests meanwhile");
    out.println(
        "kill  node  downed   carts   stock  orders  read side    failed  retried ok    lost");
    for (int i = 0; i < kills.size(); i++) {
      Kill k = kills.get(i);
      out.printf(
          "%4d  %4d  %6.1f  %6s  %6s  %6s  %9.1f  %8d  %10d  %6d%n",
          i + 1,
          k.node(),
          k.downedAfter(),
          seconds(k.answeredAfter().get("carts")),
          seconds(k.answeredAfter().get("stock")),
          seconds(k.answeredAfter().get("orders")),
          k.caughtUpAfter(),
          k.requests().failedAttempts(),
          k.requests().succeededOnRetry(),
          k.requests().lostAfterRetry());
    }
    if (!kills.isEmpty()) {
      out.printf(
          "Failover over %d kills: downed median %.1f s, max %.1f s; all entities answer median"
              + " %.1f s, max %.1f s; read side caught up median %.1f s, max %.1f s.%n",
          kills.size(),
          median(Kill::downedAfter),
          max(Kill::downedAfter),
          median(Kill::allAnsweredAfter),
          max(Kill::allAnsweredAfter),
          median(Kill::caughtUpAfter),
          max(Kill::caughtUpAfter));
    }
    if (outage != null) {
      out.printf(
          "Database outage of %.1f s: nodes answered %s (status=count) meanwhile; all served again"
              + " %.1f s after it was back: %s.%n",
          outage.seconds(),
          outage.answersDuring(),
          outage.recoveredAfter(),
          outage.passed() ? "passed" : "FAILED");
    }
    if (primaryKill != null) {
      out.printf(
          "Database primary (data node %s) killed: standby promoted after %.1f s, every node served"
              + " again after %.1f s, nodes answered %s (status=count) meanwhile; client requests"
              + " meanwhile: %d attempts failed, %d succeeded on a retry, %d lost; the killed node"
              + " was the standby again after %.1f s: %s.%n",
          primaryKill.killedDataNode(),
          primaryKill.promotedAfter(),
          primaryKill.servingAfter(),
          primaryKill.answersDuring(),
          primaryKill.requests().failedAttempts(),
          primaryKill.requests().succeededOnRetry(),
          primaryKill.requests().lostAfterRetry(),
          primaryKill.standbyBackAfter(),
          primaryKill.passed() ? "passed" : "FAILED");
    }
    if (partition != null) {
      out.printf(
          "Partition of node %d for %.1f s: the majority downed it after %s s, its process"
              + " exited after %s s, survivors stayed Up: %s; carts written on it %d (the last"
              + " write after %s s), handed over %d (the first write after %s s), written on both"
              + " sides at once %d; %d writes, %d not resolved, lost or doubled %d; journal"
              + " writes refused by its key %d: %s.%n",
          partition.node(),
          partition.seconds(),
          seconds(partition.majorityDownedItAfter()),
          seconds(partition.minorityExitedAfter()),
          partition.survivorsStayedUp() ? "yes" : "NO",
          partition.cartsWrittenOnMinority(),
          seconds(partition.lastWriteOnMinorityAfter()),
          partition.cartsHandedOver(),
          seconds(partition.firstHandedOverWriteAfter()),
          partition.twoWriters().size(),
          partition.writes(),
          partition.unresolved(),
          partition.lostOrDoubled().size(),
          partition.refusedJournalWrites(),
          partition.passed() ? "passed" : "FAILED");
    }
    out.printf(
        "Client requests: %d attempts failed (dead node or 503), %d succeeded on a retry, %d lost"
            + " after retrying.%n",
        requests.path("failedAttempts").asLong(),
        requests.path("succeededOnRetry").asLong(),
        requests.path("lostAfterRetry").asLong());
    if (failure != null) {
      out.println("The run broke off: " + failure);
    }
    out.println(passed() ? "Chaos run passed." : "Chaos run FAILED.");
  }

  void write(Path file) throws IOException {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("passed", passed());
    root.put("auditExitCode", auditExit);
    if (failure != null) {
      root.put("failure", failure);
    }
    var killNodes = root.putArray("kills");
    for (Kill k : kills) {
      ObjectNode node = killNodes.addObject();
      node.put("node", k.node());
      node.put("downedAfter", k.downedAfter());
      k.answeredAfter().forEach((kind, seconds) -> node.put(kind + "AnswerAfter", seconds));
      node.put("caughtUpAfter", k.caughtUpAfter());
      node.put("failedAttempts", k.requests().failedAttempts());
      node.put("succeededOnRetry", k.requests().succeededOnRetry());
      node.put("lostAfterRetry", k.requests().lostAfterRetry());
    }
    if (outage != null) {
      ObjectNode node = root.putObject("databaseOutage");
      node.put("seconds", outage.seconds());
      var answers = node.putObject("answersDuring");
      outage.answersDuring().forEach((status, count) -> answers.put(status.toString(), count));
      node.put("recoveredAfter", outage.recoveredAfter());
      node.put("passed", outage.passed());
    }
    if (primaryKill != null) {
      root.set("databasePrimaryKill", MAPPER.valueToTree(primaryKill));
      ((ObjectNode) root.path("databasePrimaryKill")).put("passed", primaryKill.passed());
    }
    if (partition != null) {
      root.set("partition", MAPPER.valueToTree(partition));
      ((ObjectNode) root.path("partition")).put("passed", partition.passed());
    }
    root.set("requests", requests);
    Files.writeString(file, root.toPrettyString());
  }

  private double median(ToDoubleFunction<Kill> measure) {
    double[] values = kills.stream().mapToDouble(measure).sorted().toArray();
    int middle = values.length / 2;
    return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  }

  private double max(ToDoubleFunction<Kill> measure) {
    return kills.stream().mapToDouble(measure).max().orElse(0);
  }

  private static String seconds(Double value) {
    return value == null || value < 0 ? "-" : String.format("%.1f", value);
  }
}
