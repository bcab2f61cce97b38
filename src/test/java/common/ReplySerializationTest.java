package common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.SerializationTestKit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Replies cross nodes: the accepted value must come back as its own class, not as a map. */
class ReplySerializationTest {
  private static ActorTestKit testKit;
  private static SerializationTestKit serialization;

  record View(String id, List<Integer> counts) {}

  enum Confirmation {
    DONE
  }

  @BeforeAll
  static void start() {
    testKit = EntityTestKits.create("ReplySerializationTest");
    serialization = new SerializationTestKit(testKit.system());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void anAcceptedValueKeepsItsClassAcrossNodes() {
    Reply<View> reply = Reply.accepted(new View("p-1", List.of(3, 4)));
    Reply<View> copy = serialization.verifySerialization(reply, true);
    assertEquals(new View("p-1", List.of(3, 4)), copy.value());
  }

  @Test
  void anEnumConfirmationKeepsItsConstant() {
    assertEquals(
        Confirmation.DONE,
        serialization.verifySerialization(Reply.accepted(Confirmation.DONE), true).value());
  }

  @Test
  void aRejectionKeepsItsKindAndThrowsItsReason() {
    Reply<View> copy =
        serialization.verifySerialization(
            Reply.<View>rejected(Rejection.conflict("the cart is checked out")), true);
    Rejection.RejectedException thrown =
        assertThrows(Rejection.RejectedException.class, copy::value);
    assertEquals(Rejection.conflict("the cart is checked out"), thrown.rejection());
  }
}
