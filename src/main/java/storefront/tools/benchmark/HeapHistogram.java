package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live heap of JVMs by class, from {@code jcmd <pid> GC.class_histogram}, which collects fully
 * first: its Total line is the live heap, and the difference between two of them per class shows
 * what the heap grew with.
 */
record HeapHistogram(long totalBytes, Map<String, Classes> byClass) {

  /** Instances of one class and their bytes. */
  record Classes(long instances, long bytes) {
    Classes plus(Classes other) {
      return new Classes(instances + other.instances, bytes + other.bytes);
    }

    Classes minus(Classes other) {
      return new Classes(instances - other.instances, bytes - other.bytes);
    }
  }

  /** What one class grew by between two histograms. */
  record Growth(String className, long instances, long bytes) {}

  private static final Pattern CLASS_LINE =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$", Pattern.MULTILINE);
  private static final Pattern TOTAL_LINE =
      Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

  /** jcmd of the JDK this runs on. */
  static Optional<Path> jcmd() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(jcmd) ? Optional.of(jcmd) : Optional.empty();
  }

  /** The live heap of all these processes together. */
  static HeapHistogram of(Path jcmd, List<Long> pids, String name, Started started)
      throws IOException, InterruptedException {
    HeapHistogram sum = new HeapHistogram(0, Map.of());
    for (long pid : pids) {
      String log = "jcmd-" + name + "-" + pid;
      Process process =
          started.start(
              log, List.of(jcmd.toString(), String.valueOf(pid), "GC.class_histogram"), Map.of());
      int exit = started.await(process, log, Duration.ofMinutes(2));
      HeapHistogram histogram = parse(Files.readString(started.log(log)));
      if (exit != 0 || histogram.totalBytes == 0) {
        throw new IllegalStateException("jcmd failed (exit " + exit + "); see " + started.log(log));
      }
      sum = sum.plus(histogram);
    }
    return sum;
  }

  static HeapHistogram parse(String output) {
    Map<String, Classes> byClass = new HashMap<>();
    Matcher line = CLASS_LINE.matcher(output);
    while (line.find()) {
      byClass.merge(
          line.group(3),
          new Classes(Long.parseLong(line.group(1)), Long.parseLong(line.group(2))),
          Classes::plus);
    }
    Matcher total = TOTAL_LINE.matcher(output);
    return new HeapHistogram(total.find() ? Long.parseLong(total.group(2)) : 0, byClass);
  }

  HeapHistogram plus(HeapHistogram other) {
    Map<String, Classes> sum = new HashMap<>(byClass);
    other.byClass.forEach((name, classes) -> sum.merge(name, classes, Classes::plus));
    return new HeapHistogram(totalBytes + other.totalBytes, sum);
  }

  /** The classes whose bytes grew most since the earlier histogram. */
  List<Growth> grewMostSince(HeapHistogram earlier, int count) {
    return byClass.entrySet().stream()
        .map(
            entry -> {
              Classes grown =
                  entry
                      .getValue()
                      .minus(earlier.byClass.getOrDefault(entry.getKey(), new Classes(0, 0)));
              return new Growth(entry.getKey(), grown.instances, grown.bytes);
            })
        .sorted(Comparator.comparingLong(Growth::bytes).reversed())
        .limit(count)
        .toList();
  }
}
