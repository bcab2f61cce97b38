package live;

import common.CborSerializable;
import java.time.Instant;
import java.util.UUID;
import notification.Notification;

/** A change pushed to live-stream clients, published cluster-wide by the read sides. */
public sealed interface LiveEvent extends CborSerializable {

  /** The event's name on the stream (the SSE "event:" field). */
  String name();

  /** When the change happened: the time of the journal event behind it. */
  Instant at();

  /** A product's stock over all its warehouses, as the inventory read side just wrote it. */
  record StockLevel(UUID productId, int available, int reserved, int sold, Instant at)
      implements LiveEvent {
    @Override
    public String name() {
      return "stock";
    }
  }

  /** An order's status, as the order read side just wrote it. */
  record OrderStatus(UUID orderId, UUID userId, String status, Instant at) implements LiveEvent {
    @Override
    public String name() {
      return "order";
    }
  }

  /** A notification, just stored. */
  record NotificationStored(Notification notification) implements LiveEvent {
    @Override
    public String name() {
      return "notification";
    }

    @Override
    public Instant at() {
      return notification.createdAt();
    }
  }
}
