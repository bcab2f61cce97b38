package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * PostgreSQL's own benchmark client measuring the server's commit ceiling: single-row INSERT
 * transactions from 32 clients, each its own commit (with fsync and synchronous commit on, the
 * ceiling is the disk's group commit). Every rate of the shop is compared with it.
 */
final class Pgbench {
  static final int CLIENTS = 32;
  static final int SECONDS = 10;
  private static final String TABLE = "benchmark_pgbench";
  private static final Pattern TPS =
      Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

  private Pgbench() {}

  /** The pgbench binary on the PATH (Debian: the postgresql-client package). */
  static Optional<Path> binary() {
    return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, "pgbench"))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** Commits per second into a scratch table, which is dropped afterwards. */
  static double commitsPerSecond(Path binary, int port, PostgresStats database, Started started)
      throws IOException, InterruptedException {
    Path script = started.directory().resolve("pgbench-insert.sql");
    Files.writeString(script, "INSERT INTO " + TABLE + " (client) VALUES (:client_id);\n");
    database.execute(
        "CREATE TABLE IF NOT EXISTS "
            + TABLE
            + " (id BIGSERIAL PRIMARY KEY, client INT NOT NULL,"
            + " at TIMESTAMPTZ NOT NULL DEFAULT now())");
    try {
      Process pgbench =
          started.start(
              "pgbench",
              List.of(
                  binary.toString(),
                  "-h",
                  "127.0.0.1",
                  "-p",
                  String.valueOf(port),
                  "-U",
                  database.connectionSetting("user"),
                  "-n",
                  "-f",
                  script.toString(),
                  "-c",
                  String.valueOf(CLIENTS),
                  "-j",
                  "2",
                  "-T",
                  String.valueOf(SECONDS),
                  database.connectionSetting("database")),
              Map.of("PGPASSWORD", database.connectionSetting("password")));
      int exit = started.await(pgbench, "pgbench", Duration.ofSeconds(SECONDS + 60));
      Matcher tps = TPS.matcher(Files.readString(started.log("pgbench")));
      if (exit != 0 || !tps.find()) {
        throw new IllegalStateException(
            "pgbench failed (exit " + exit + "); see " + started.log("pgbench"));
      }
      return Double.parseDouble(tps.group(1));
    } finally {
      database.execute("DROP TABLE IF EXISTS " + TABLE);
    }
  }
}
