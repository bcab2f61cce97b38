package web;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.webjars.WebJarVersionLocator;

/**
 * The web shop at {@code /} and the operator console at {@code /console}: static files from the jar
 * ({@code web/} on the class path) and browser libraries from WebJars, so that a page asks nothing
 * of any host but the node that served it.
 */
public final class WebPages extends AllDirectives {
  private static final String ROOT = "web";

  /** The browser may load and connect to this node only; nothing may frame the pages. */
  private static final List<HttpHeader> PAGE_HEADERS =
      List.of(
          RawHeader.create(
              "Content-Security-Policy",
              "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
                  + " frame-ancestors 'none'"),
          RawHeader.create("X-Content-Type-Options", "nosniff"),
          RawHeader.create("Referrer-Policy", "no-referrer"));

  /**
   * The WebJars the pages use, by name, with the version the build bundles. Only these are served:
   * the locator caches every name it is asked for, found or not, so unknown names from requests
   * would fill the heap.
   */
  private static final Map<String, String> WEBJAR_VERSIONS = webJarVersions("uplot");

  /** Whether a GET of this path is one of the pages' (for metrics, which count them apart). */
  public static boolean serves(String path) {
    return path.equals("/")
        || path.equals("/console")
        || path.startsWith("/assets/")
        || path.startsWith("/webjars/");
  }

  public Route routes() {
    return respondWithHeaders(
        PAGE_HEADERS,
        () ->
            concat(
                pathSingleSlash(() -> get(() -> getFromResource(ROOT + "/shop.html"))),
                path("console", () -> get(() -> getFromResource(ROOT + "/console.html"))),
                pathPrefix("assets", () -> get(() -> getFromResourceDirectory(ROOT))),
                pathPrefix(
                    "webjars",
                    () ->
                        path(
                            PathMatchers.segment().slash(PathMatchers.remaining()),
                            (library, file) -> get(() -> webJarFile(library, file))))));
  }

  /** A WebJar's file by the library's name, whatever version the build bundles. */
  private Route webJarFile(String library, String file) {
    String version = WEBJAR_VERSIONS.get(library);
    // The file's name is still percent-encoded here; no file of a WebJar needs an escape.
    if (version == null || file.contains("..") || file.contains("%")) {
      return reject();
    }
    return getFromResource(
        WebJarVersionLocator.WEBJARS_PATH_PREFIX + "/" + library + "/" + version + "/" + file);
  }

  private static Map<String, String> webJarVersions(String... libraries) {
    WebJarVersionLocator locator = new WebJarVersionLocator();
    return Stream.of(libraries)
        .collect(
            Collectors.toUnmodifiableMap(
                library -> library,
                library ->
                    Objects.requireNonNull(
                        locator.version(library), () -> "no WebJar " + library + " in the build")));
  }
}
