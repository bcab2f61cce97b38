package storefront;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.node.Node;

/**
 * The pages' files over HTTP, without a browser: served with the policy that keeps the page on its
 * node, and nothing but the files and WebJars the pages use.
 */
class WebPagesHttpTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static Node node;

  @BeforeAll
  static void startNode() {
    node = TestNode.start("");
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void thePagesAndTheirWebJarComeWithAPolicyThatKeepsThemOnTheNode() throws Exception {
    for (String path : new String[] {"/", "/console", "/assets/api.js"}) {
      HttpResponse<String> page = get(path);
      assertEquals(200, page.statusCode(), path);
      assertTrue(
          page.headers()
              .firstValue("Content-Security-Policy")
              .orElse("")
              .contains("default-src 'self'"),
          path + ": " + page.headers().map());
    }
    HttpResponse<String> chartStyle = get("/webjars/uplot/dist/uPlot.min.css");
    assertEquals(200, chartStyle.statusCode());
    assertTrue(chartStyle.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void otherLibrariesAndPathsOutOfALibraryAreNotFound() throws Exception {
    for (String path :
        new String[] {
          "/webjars/jquery/jquery.min.js",
          "/webjars/" + "x".repeat(1_000) + "/a.js",
          "/webjars/uplot/%2e%2e/%2e%2e/1.6.30/dist/uPlot.min.css",
          "/webjars/uplot/dist%2FuPlot.min.css",
          "/assets/../logback.xml"
        }) {
      assertEquals(404, get(path).statusCode(), path);
    }
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
