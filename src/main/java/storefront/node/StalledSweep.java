package storefront.node;

import akka.Done;
import akka.actor.typed.ActorSystem;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import common.Stalled;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One kind of stalled process, swept a page at a time: each sweep reads the page after the last one
 * and wakes its processes with a bounded number of asks in flight; after a short page the next
 * sweep starts again from the oldest. Processes that never progress are passed, not read forever.
 * One sweep at a time (the caller waits for the returned stage before the next).
 */
final class StalledSweep {
  private static final Logger log = LoggerFactory.getLogger(StalledSweep.class);

  private final String name;
  private final BiFunction<Stalled, Integer, CompletionStage<List<Stalled>>> pageAfter;
  private final Function<String, CompletionStage<?>> wake;
  private final int pageSize;
  private final int inFlight;
  private volatile Stalled cursor = Stalled.START;

  /**
   * @param pageAfter the page of stalled processes after a cursor, at most the given size
   * @param wake asks a process by id; its outcome does not matter (a failed wake is retried by a
   *     later sweep)
   */
  StalledSweep(
      String name,
      BiFunction<Stalled, Integer, CompletionStage<List<Stalled>>> pageAfter,
      Function<String, CompletionStage<?>> wake,
      int pageSize,
      int inFlight) {
    this.name = name;
    this.pageAfter = pageAfter;
    this.wake = wake;
    this.pageSize = pageSize;
    this.inFlight = inFlight;
  }

  /** Wakes the next page; completes when every wake of it has answered or failed. */
  CompletionStage<Done> next(ActorSystem<?> system) {
    return pageAfter
        .apply(cursor, pageSize)
        .thenCompose(
            page -> {
              cursor = page.size() < pageSize ? Stalled.START : page.get(page.size() - 1);
              return Source.from(page)
                  .mapAsyncUnordered(
                      inFlight,
                      stalled ->
                          wake.apply(stalled.id().toString())
                              .handle((answer, error) -> Done.getInstance()))
                  .runWith(Sink.ignore(), system);
            })
        .exceptionally(
            error -> {
              log.warn(
                  "Sweeping {} failed; the next sweep tries again: {}", name, error.toString());
              return Done.getInstance();
            });
  }
}
