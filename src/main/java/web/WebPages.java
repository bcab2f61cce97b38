package web;

import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.headers.RawHeader;
import akka.http.javadsl.server.AllDirectives;
import akka.http.javadsl.server.PathMatchers;
import akka.http.javadsl.server.Route;
import java.util.List;
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

  private final WebJarVersionLocator webJars = new WebJarVersionLocator();

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
    if (file.contains("..")) {
      return reject();
    }
    String path = webJars.fullPath(library, file);
    return path == null ? reject() : getFromResource(path);
  }
}
