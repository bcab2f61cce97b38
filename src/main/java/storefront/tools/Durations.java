package storefront.tools;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import picocli.CommandLine.TypeConversionException;

/** Durations on the command line as in the .conf files: 200ms, 30s, 5m. */
public final class Durations {
  private Durations() {}

  public static Duration parse(String text) {
    try {
      return ConfigFactory.parseString("d = \"" + text.replace("\"", "") + "\"").getDuration("d");
    } catch (ConfigException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration such as 500ms, 30s or 5m");
    }
  }
}
