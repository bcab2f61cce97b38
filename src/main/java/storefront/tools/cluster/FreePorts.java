package storefront.tools.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Consecutive free ports for a local cluster that takes base ports (benchmark, tests). */
public final class FreePorts {
  private FreePorts() {}

  /**
   * The first of {@code count} consecutive ports free on 127.0.0.1. They lie below Linux's
   * ephemeral range (32768 and up), where an outgoing connection, such as a node calling a seed
   * that has not started yet, could take one of them first.
   */
  public static int range(int count) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
      boolean free = true;
      for (int port = base; port < base + count && free; port++) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
          socket.setReuseAddress(true);
        } catch (IOException e) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no " + count + " consecutive free ports below 32000");
  }
}
