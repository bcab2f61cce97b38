package storefront;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A scrape of GET /metrics read as Prometheus does: samples by name and labels. */
final class PrometheusText {
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private record Sample(String name, Map<String, String> labels, double value) {}

  private final String text;
  private final List<Sample> samples = new ArrayList<>();

  PrometheusText(String text) {
    this.text = text;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (line.startsWith("#") || !sample.matches()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      samples.add(new Sample(sample.group(1), labels, Double.parseDouble(sample.group(3))));
    }
  }

  /** The value of the sample with this name that has these labels (among others), if any. */
  OptionalDouble value(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .findFirst();
  }

  /** Like {@link #value}, failing when there is no such sample. */
  double require(String name, Map<String, String> labels) {
    return value(name, labels)
        .orElseThrow(() -> new AssertionError("no " + name + " " + labels + " in\n" + text));
  }

  @Override
  public String toString() {
    return text;
  }
}
