package storefront;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A server-sent events client for tests: the events of one stream, as they arrive. */
final class EventStreamClient implements AutoCloseable {
  /** One event: its name, id and data, and when it arrived (System.nanoTime()). */
  record Event(String name, String id, String data, long arrivedNanos) {}

  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final CompletableFuture<HttpResponse<Stream<String>>> response;

  /** Opens the stream at the path; the token may be null. */
  EventStreamClient(int port, String path, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/event-stream");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    response =
        HttpClient.newHttpClient()
            .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
            .thenApply(
                r -> {
                  CompletableFuture.runAsync(() -> read(r.body()));
                  return r;
                });
  }

  int status() throws Exception {
    return response.get(10, TimeUnit.SECONDS).statusCode();
  }

  private void read(Stream<String> lines) {
    String[] current = new String[3];
    lines.forEach(
        line -> {
          if (line.isEmpty()) {
            if (current[2] != null) {
              events.add(new Event(current[0], current[1], current[2], System.nanoTime()));
            }
            current[0] = current[1] = current[2] = null;
          } else if (line.startsWith(":")) {
            comments.incrementAndGet();
          } else if (line.startsWith("event:")) {
            current[0] = line.substring(6).trim();
          } else if (line.startsWith("id:")) {
            current[1] = line.substring(3).trim();
          } else if (line.startsWith("data:")) {
            current[2] = line.substring(5).trim();
          }
        });
  }

  /** Comment lines so far: the server's keep-alives. */
  int comments() {
    return comments.get();
  }

  /** The next event that matches, waiting at most the timeout; null when none came. */
  Event await(Predicate<Event> matching, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Event event = events.poll(left, TimeUnit.NANOSECONDS);
      if (event != null && matching.test(event)) {
        return event;
      }
    }
  }

  @Override
  public void close() {
    response.thenAccept(r -> r.body().close());
    response.cancel(true);
  }
}
