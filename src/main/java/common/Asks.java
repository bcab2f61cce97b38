package common;

import akka.actor.typed.ActorRef;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.japi.function.Function;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The one way to ask an entity: its {@link Reply} becomes the accepted value, or a stage failed
 * with the {@link Rejection} (which the HTTP API renders as a problem with the rejection's status).
 * A timeout fails the stage with Akka's AskTimeoutException (a 503).
 */
public final class Asks {
  private Asks() {}

  public static <C, T> CompletionStage<T> ask(
      EntityRef<C> entity, Function<ActorRef<Reply<T>>, C> command, Duration timeout) {
    return entity.<Reply<T>>ask(command, timeout).thenApply(Reply::value);
  }
}
