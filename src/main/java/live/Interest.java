package live;

import java.util.Set;
import java.util.UUID;
import live.LiveEvent.NotificationStored;
import live.LiveEvent.OrderStatus;
import live.LiveEvent.StockLevel;

/** What one stream client follows: chosen products, one user, one order, or everything. */
public sealed interface Interest {

  boolean wants(LiveEvent event);

  /** The stock of these products and their stock notifications. */
  record Products(Set<UUID> productIds) implements Interest {
    @Override
    public boolean wants(LiveEvent event) {
      return event instanceof StockLevel s && productIds.contains(s.productId())
          || event instanceof NotificationStored n
              && productIds.contains(n.notification().productId());
    }
  }

  /** One user's orders and the notifications sent to them. */
  record User(UUID userId) implements Interest {
    @Override
    public boolean wants(LiveEvent event) {
      return event instanceof OrderStatus o && userId.equals(o.userId())
          || event instanceof NotificationStored n && userId.equals(n.notification().userId());
    }
  }

  /** One order's status and its notifications. */
  record Order(UUID orderId) implements Interest {
    @Override
    public boolean wants(LiveEvent event) {
      return event instanceof OrderStatus o && orderId.equals(o.orderId())
          || event instanceof NotificationStored n && orderId.equals(n.notification().orderId());
    }
  }

  /** Everything: an operator's view. */
  record Everything() implements Interest {
    @Override
    public boolean wants(LiveEvent event) {
      return true;
    }
  }
}
