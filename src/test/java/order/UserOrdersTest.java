package order;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import catalog.Page;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import storefront.TestDatabase;

/** A user's orders from the read side, a page at a time. */
class UserOrdersTest {
  private static ActorTestKit testKit;

  @BeforeAll
  static void start() {
    testKit = TestDatabase.actorTestKit("UserOrdersTest");
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aUsersOrdersArePagedNewestFirst() {
    UUID user = UUID.randomUUID();
    List<String> newestFirst = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      UUID order = UUID.randomUUID();
      newestFirst.add(0, order.toString());
      OffsetDateTime at = OffsetDateTime.parse("2026-01-01T10:00:00Z").plusMinutes(i);
      TestDatabase.execute(
          testKit.system(),
          "INSERT INTO orders (order_id, user_id, cart_id, region, order_status, total_amount,"
              + " payment_method, created_at, updated_at)"
              + " VALUES ($1, $2, $3, 'us-west', 'completed', 1.00, 'paypal', $4, $4)",
          order,
          user,
          UUID.randomUUID(),
          at);
    }
    UserOrders orders = new UserOrders(testKit.system());
    try {
      Page<UserOrders.OrderSummary> first = orders.page(user, 0, 2).toCompletableFuture().join();
      Page<UserOrders.OrderSummary> second = orders.page(user, 1, 2).toCompletableFuture().join();

      assertEquals(3, first.total());
      assertEquals(newestFirst.subList(0, 2), ids(first.items()));
      assertEquals(newestFirst.subList(2, 3), ids(second.items()));
      assertEquals(newestFirst, ids(orders.of(user).toCompletableFuture().join()));
    } finally {
      // The audit tests compare the read side with the journal: these orders have no events.
      TestDatabase.execute(testKit.system(), "DELETE FROM orders WHERE user_id = $1", user);
    }
  }

  private static List<String> ids(List<UserOrders.OrderSummary> orders) {
    return orders.stream().map(UserOrders.OrderSummary::orderId).toList();
  }
}
