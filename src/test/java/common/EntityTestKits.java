package common;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import com.typesafe.config.ConfigFactory;

/** An ActorTestKit for EventSourcedBehaviorTestKit tests, with the shop's serialization. */
public final class EntityTestKits {
  private EntityTestKits() {}

  public static ActorTestKit create(String name) {
    return ActorTestKit.create(
        name,
        EventSourcedBehaviorTestKit.config()
            .withFallback(ConfigFactory.parseResources("serialization.conf")));
  }
}
