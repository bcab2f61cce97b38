package storefront.tools.workload;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import storefront.tools.NodeHttp;

/**
 * Holds server-sent event streams open against one node, reading what comes and nothing more: the
 * idle clients of the live-stream benchmark, in a process of their own so that their cost lands on
 * the node, not on the process that measures it.
 */
@Command(
    name = "listen",
    mixinStandardHelpOptions = true,
    description =
        "Open many idle live streams (GET /stream/stock) against a node and hold them for a while;"
            + " report how many opened, what they received and how many the node ended.")
public final class ListenCommand implements Callable<Integer> {
  private static final int CONNECTING = 32;

  /** Printed once every stream is open. */
  public static final String OPEN = "Every stream is open.";

  @Option(names = "--target", required = true, description = "The node, e.g. http://127.0.0.1:8080")
  String target;

  @Option(names = "--clients", description = "Streams to hold open (default 1000).")
  int clients = 1_000;

  @Option(
      names = "--products",
      required = true,
      split = ",",
      description = "Product ids; stream i follows product i modulo their number.")
  List<String> products;

  @Option(names = "--duration", description = "How long to hold them (default 10m).")
  Duration duration = Duration.ofMinutes(10);

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || products.isEmpty()) {
      System.err.println("--clients must be at least 1 and --products name at least one.");
      return 2;
    }
    // A long connect timeout: a thousand connections at once queue in the node's accept backlog.
    NodeHttp http = new NodeHttp(Duration.ofSeconds(10), Duration.ofSeconds(10));
    CountDownLatch opened = new CountDownLatch(clients);
    // Connects in flight at once: more overflow the server's accept backlog, and the kernel then
    // drops connection attempts that only a retry a second later brings in.
    Semaphore connecting = new Semaphore(CONNECTING);
    AtomicReference<String> firstRefusal = new AtomicReference<>();
    AtomicLong refused = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    AtomicLong ended = new AtomicLong();
    List<StreamListener> listeners = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      connecting.acquire();
      String url = target + "/stream/stock?products=" + products.get(i % products.size());
      StreamListener listener = new StreamListener(bytes, ended);
      listeners.add(listener);
      http.stream(url, HttpResponse.BodyHandlers.ofPublisher())
          .whenComplete(
              (response, error) -> {
                connecting.release();
                if (error != null || response.statusCode() != 200) {
                  refused.incrementAndGet();
                  firstRefusal.compareAndSet(
                      null, error != null ? error.toString() : "HTTP " + response.statusCode());
                } else {
                  response.body().subscribe(listener);
                }
                opened.countDown();
              });
    }
    if (!opened.await(2, TimeUnit.MINUTES) || refused.get() > 0) {
      System.err.printf(
          "%d of %d streams were refused (the first: %s), %d did not open in 2 minutes.%n",
          refused.get(), clients, firstRefusal.get(), opened.getCount());
      return 1;
    }
    System.out.println(OPEN);
    System.out.flush();
    Thread.sleep(duration.toMillis());
    long endedByTheNode = ended.get();
    listeners.forEach(StreamListener::close);
    System.out.printf(
        "%d streams held %d s: %d bytes received (keep-alives), %d ended by the node.%n",
        clients, duration.toSeconds(), bytes.get(), endedByTheNode);
    return endedByTheNode == 0 ? 0 : 1;
  }
}
