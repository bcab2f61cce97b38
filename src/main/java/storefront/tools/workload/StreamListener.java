package storefront.tools.workload;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one live stream's body as it comes, without a thread of its own (a thousand streams must
 * not hold a thousand blocked threads): counts its bytes, and whether the node ended it.
 */
final class StreamListener implements Flow.Subscriber<List<ByteBuffer>> {
  private final AtomicLong bytes;
  private final AtomicLong endedByTheNode;
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  StreamListener(AtomicLong bytes, AtomicLong endedByTheNode) {
    this.bytes = bytes;
    this.endedByTheNode = endedByTheNode;
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    buffers.forEach(buffer -> bytes.addAndGet(buffer.remaining()));
  }

  @Override
  public void onError(Throwable error) {
    ended();
  }

  @Override
  public void onComplete() {
    ended();
  }

  /** Closes the stream from this side; not counted as ended by the node. */
  void close() {
    cancelled = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }

  private void ended() {
    if (!cancelled) {
      endedByTheNode.incrementAndGet();
    }
  }
}
