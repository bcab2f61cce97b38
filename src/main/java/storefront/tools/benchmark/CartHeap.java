package storefront.tools.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Heap per active cart: the nodes' live heap (jcmd) before and after opening carts with one line
 * each through the entities, measured again every {@value #CARTS_PER_CHECKPOINT} carts, so that if
 * the nodes' heap cannot hold them all the figure comes from the last checkpoint it held.
 */
final class CartHeap {
  private static final Duration TIME_LIMIT = Duration.ofMinutes(5);
  private static final int CARTS_PER_CHECKPOINT = 25_000;
  private static final int CLASSES_SHOWN = 12;

  private CartHeap() {}

  static void measure(Started started, EntityPhases phases, int carts, BenchmarkReport report)
      throws IOException, InterruptedException {
    Optional<Path> jcmd = HeapHistogram.jcmd();
    if (jcmd.isEmpty()) {
      report.heapMissing = "jcmd is not in this JDK (" + System.getProperty("java.home") + ")";
      System.out.println(report.heapMissing + ": no heap figures.");
      return;
    }
    List<Long> nodes = new ArrayList<>(started.nodePids().values());
    HeapHistogram before = HeapHistogram.of(jcmd.get(), nodes, "before", started);
    HeapHistogram measured = before;
    long opened = 0;
    long measuredCarts = 0;
    String stoppedEarly = null;
    long start = System.nanoTime();
    long deadline = start + TIME_LIMIT.toNanos();
    while (opened < carts && stoppedEarly == null) {
      int batch = (int) Math.min(CARTS_PER_CHECKPOINT, carts - opened);
      ClosedLoop.Result result =
          phases.openCarts(batch, Duration.ofNanos(deadline - System.nanoTime()));
      opened += result.succeeded();
      if (result.failed() > 0) {
        stoppedEarly = result.failed() + " carts could not be opened after " + opened;
      } else if (result.succeeded() < batch) {
        stoppedEarly = "time limit of " + TIME_LIMIT + " reached after " + opened;
      }
      try {
        measured = HeapHistogram.of(jcmd.get(), nodes, "after-" + opened, started);
        measuredCarts = opened;
      } catch (IllegalStateException e) {
        stoppedEarly = "no heap histogram after " + opened + " carts: " + e.getMessage();
      }
    }
    if (measuredCarts == 0) {
      throw new IllegalStateException("no heap figure: " + stoppedEarly);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long perCart = (measured.totalBytes() - before.totalBytes()) / measuredCarts;
    report.heap =
        new BenchmarkReport.Heap(
            carts,
            measuredCarts,
            seconds,
            before.totalBytes(),
            measured.totalBytes(),
            perCart,
            perCart * 100_000 / (1024.0 * 1024.0),
            measured.grewMostSince(before, CLASSES_SHOWN),
            stoppedEarly);
    System.out.printf(
        "Carts: %d of %d opened with one line each in %.1f s; live heap %.0f MB -> %.0f MB,"
            + " %d bytes per cart%s%n",
        measuredCarts,
        carts,
        seconds,
        before.totalBytes() / (1024.0 * 1024.0),
        measured.totalBytes() / (1024.0 * 1024.0),
        perCart,
        stoppedEarly == null ? "" : " (stopped early: " + stoppedEarly + ")");
  }
}
