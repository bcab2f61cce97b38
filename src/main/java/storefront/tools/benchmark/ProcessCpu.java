package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of processes as Linux accounts it in /proc/[pid]/stat. */
final class ProcessCpu {
  /**
   * The kernel reports these times in USER_HZ ticks, 100 per second on x86 and ARM whatever the
   * kernel's own tick rate.
   */
  private static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /**
   * User and system time of the process, plus that of its children that have exited and been reaped
   * (utime + stime + cutime + cstime); 0 when the process is gone.
   */
  static double seconds(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
    } catch (IOException e) {
      return 0;
    }
    // The command name in parentheses may hold spaces; fields are counted after it. fields[0] is
    // field 3 (state), so utime, stime, cutime and cstime (fields 14 to 17) are fields[11..14].
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = 0;
    for (int field = 11; field <= 14; field++) {
      ticks += Long.parseLong(fields[field]);
    }
    return ticks / TICKS_PER_SECOND;
  }

  /**
   * The process and each of its live descendants: PostgreSQL's backends are the postmaster's
   * children, and those that exited are in its children's time.
   */
  static double treeSeconds(long pid) {
    double descendants =
        ProcessHandle.of(pid)
            .map(process -> process.descendants().mapToDouble(d -> seconds(d.pid())).sum())
            .orElse(0.0);
    return seconds(pid) + descendants;
  }
}
