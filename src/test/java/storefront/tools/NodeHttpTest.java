package storefront.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tools' client against a stand-in server on loopback: what it sends, and that an answer it
 * cannot use is an IOException (which the tools handle) rather than a null body.
 */
class NodeHttpTest {
  private static final List<String> HEARD = new CopyOnWriteArrayList<>();
  private static HttpServer server;
  private static String base;

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    answer("/json", 200, "application/json", "{\"levels\":[1,2]}");
    answer("/created", 201, "application/json", "{\"cartId\":\"c1\"}");
    // What a proxy in front of the nodes may answer: a page of its own.
    answer("/page", 200, "text/html", "<html>maintenance</html>");
    answer("/refused", 422, "application/problem+json", "{\"title\":\"no\"}");
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  private static void answer(String path, int status, String contentType, String body) {
    server.createContext(
        path,
        exchange -> {
          HEARD.add(
              exchange.getRequestMethod()
                  + " "
                  + path
                  + " "
                  + exchange.getRequestHeaders().getFirst("Authorization")
                  + " "
                  + exchange.getRequestHeaders().getFirst("Idempotency-Key")
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", contentType);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
  }

  @Test
  void jsonAnswersAreReadAndTheTokenAndKeyAreSent() throws Exception {
    HEARD.clear();
    NodeHttp http = new NodeHttp(Duration.ofSeconds(5)).withToken("t0k3n");
    assertEquals(2, http.get(base + "/json").path("levels").size());
    assertEquals("c1", http.post(base + "/created", "{}").path("cartId").asText());
    NodeHttp.Answer refused = http.send("PUT", base + "/refused", null, "key-1");
    assertEquals("422 no", refused.status() + " " + refused.text("title"));
    assertEquals(201, http.postAsync(base + "/created", "{\"a\":1}", "key-2").join());
    assertEquals(
        List.of(
            "GET /json Bearer t0k3n null ",
            "POST /created Bearer t0k3n null {}",
            "PUT /refused Bearer t0k3n key-1 ",
            "POST /created Bearer t0k3n key-2 {\"a\":1}"),
        HEARD);
  }

  @Test
  void anAnswerWithoutJsonOrWithAnotherStatusIsAnIoException() {
    NodeHttp http = new NodeHttp(Duration.ofSeconds(5));
    assertEquals(
        base + "/page answered 200 without a JSON body",
        assertThrows(IOException.class, () -> http.get(base + "/page")).getMessage());
    assertEquals(
        base + "/created answered 201",
        assertThrows(IOException.class, () -> http.get(base + "/created")).getMessage());
    assertEquals(
        base + "/refused answered 422",
        assertThrows(IOException.class, () -> http.post(base + "/refused", "{}")).getMessage());
    assertEquals(NodeHttp.NO_ANSWER, http.status("http://127.0.0.1:1/nothing"));
  }
}
