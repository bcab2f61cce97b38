package metrics;

import akka.http.javadsl.model.HttpMethods;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import web.Endpoint;
import web.WebPages;

/**
 * The operation a request is for, as its path template (/carts/{cartId}/items): a metric's tag must
 * have few values, and raw paths carry ids.
 */
final class RouteTemplates {
  static final String UNMATCHED = "unmatched";

  /** The web pages and their files (web.WebPages), served outside the API's endpoints. */
  static final String STATIC = "static";

  private record Template(String method, String path, Pattern pattern) {}

  private final List<Template> templates;

  RouteTemplates(List<Endpoint> endpoints) {
    // A literal segment beats a parameter where templates overlap (/x/search before /x/{id}).
    this.templates =
        endpoints.stream()
            .map(e -> new Template(e.method().name(), e.path(), pattern(e.path())))
            .sorted(Comparator.comparingInt(t -> parameters(t.path())))
            .toList();
  }

  String of(String method, String path) {
    String trimmed =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    for (Template template : templates) {
      if (template.method().equals(method) && template.pattern().matcher(trimmed).matches()) {
        return template.path();
      }
    }
    return method.equals(HttpMethods.GET.name()) && WebPages.serves(path) ? STATIC : UNMATCHED;
  }

  private static Pattern pattern(String template) {
    StringBuilder regex = new StringBuilder();
    for (String segment : template.substring(1).split("/", -1)) {
      regex.append('/').append(segment.startsWith("{") ? "[^/]+" : Pattern.quote(segment));
    }
    return Pattern.compile(regex.toString());
  }

  private static int parameters(String template) {
    return (int) template.chars().filter(c -> c == '{').count();
  }
}
