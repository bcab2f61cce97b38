package storefront.tools.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A network between local nodes that can be cut, without root: one TCP relay per node on its
 * canonical remoting port (the address the other nodes dial), forwarding to the port the node
 * really binds. Each node dials out from its own loopback address ({@link #clientHost}), so a relay
 * knows which node is calling. {@link #isolate} stops every byte between a node and all others in
 * both directions, as a pulled cable does: nothing is refused or reset, bytes already sent wait in
 * the relay and in the kernel's buffers, and {@link #heal} lets them flow on.
 */
public final class RemotingRelay implements AutoCloseable {
  /** Where a node listens behind its relay: its canonical and its real remoting port. */
  public record Ports(int canonical, int bind) {}

  private final Set<Integer> isolated = ConcurrentHashMap.newKeySet();
  private final List<ServerSocket> listeners = new ArrayList<>();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "remoting-relay");
            thread.setDaemon(true);
            return thread;
          });

  /** The loopback address node n dials the others from; Linux routes all of 127/8 to lo. */
  public static String clientHost(int node) {
    return "127.0.0." + (10 + node);
  }

  /**
   * Whether this machine lets nodes dial from their own loopback addresses (Linux routes all of
   * 127/8 to lo; other systems may have only 127.0.0.1).
   */
  public static boolean clientHostsUsable(int nodes) {
    for (int n = 1; n <= nodes; n++) {
      try (Socket socket = new Socket()) {
        socket.bind(new InetSocketAddress(clientHost(n), 0));
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  /** Starts a relay for each node, by node number. */
  public static RemotingRelay start(Map<Integer, Ports> nodes) throws IOException {
    RemotingRelay relay = new RemotingRelay();
    try {
      for (var node : nodes.entrySet()) {
        relay.listen(node.getKey(), node.getValue());
      }
    } catch (IOException e) {
      relay.close();
      throw e;
    }
    return relay;
  }

  /** Cuts the node off from every other node, in both directions. */
  public void isolate(int node) {
    isolated.add(node);
  }

  /** Joins every node again: what waited is delivered. */
  public synchronized void heal() {
    isolated.clear();
    notifyAll();
  }

  @Override
  public void close() {
    for (ServerSocket listener : listeners) {
      closeQuietly(listener);
    }
    sockets.forEach(RemotingRelay::closeQuietly);
    heal(); // wakes the pipes, which then find their sockets closed
    threads.shutdownNow();
  }

  private void listen(int node, Ports ports) throws IOException {
    ServerSocket listener = new ServerSocket();
    listener.setReuseAddress(true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports.canonical()));
    listeners.add(listener);
    threads.execute(
        () -> {
          while (!listener.isClosed()) {
            try {
              Socket caller = listener.accept();
              connect(callerNode(caller), node, caller, ports.bind());
            } catch (IOException e) {
              // closed, or one call that failed: the caller dials again
            }
          }
        });
  }

  private void connect(int from, int to, Socket caller, int bindPort) throws IOException {
    Socket target;
    try {
      target = new Socket(InetAddress.getLoopbackAddress(), bindPort);
    } catch (IOException e) {
      closeQuietly(caller); // the node is down: its caller sees the refusal it would have seen
      throw e;
    }
    sockets.add(caller);
    sockets.add(target);
    threads.execute(() -> pipe(from, to, caller, target));
    threads.execute(() -> pipe(from, to, target, caller));
  }

  /** Copies one direction of a connection between nodes {@code a} and {@code b}. */
  private void pipe(int a, int b, Socket source, Socket sink) {
    byte[] buffer = new byte[64 * 1024];
    try (InputStream in = source.getInputStream();
        OutputStream out = sink.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        awaitLinked(a, b);
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException e) {
      // one side closed or reset: close the other, as the connection is gone
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(source);
      closeQuietly(sink);
      sockets.remove(source);
      sockets.remove(sink);
    }
  }

  private synchronized void awaitLinked(int a, int b) throws InterruptedException {
    while (isolated.contains(a) != isolated.contains(b)) {
      wait();
    }
  }

  /** The node whose client address the call came from; 0 when it is no node's. */
  private static int callerNode(Socket caller) {
    byte[] address = caller.getInetAddress().getAddress();
    int last = address[address.length - 1] & 0xff;
    return address.length == 4 && address[0] == 127 && last > 10 ? last - 10 : 0;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      // closing what is gone anyway
    }
  }
}
