package notification;

import common.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * One notification as stored in the notifications table and published on the live stream. Stock
 * notifications name a product and go to operators; order notifications name an order and its user,
 * and are the e-mail sent to the user's address (recipient).
 */
public record Notification(
    UUID notificationId,
    String kind,
    UUID productId,
    UUID orderId,
    UUID userId,
    String recipient,
    String subject,
    String body,
    Instant createdAt)
    implements CborSerializable {

  public static final String LOW_STOCK = "low_stock";
  public static final String SOLD_OUT = "sold_out";
  public static final String BACK_IN_STOCK = "back_in_stock";
  public static final String ORDER_CONFIRMATION = "order_confirmation";
  public static final String PAYMENT_FAILED = "payment_failed";

  /**
   * The id of the notification of this kind that this event causes: the same however often a
   * projection handles the event, so that the table keeps it once.
   */
  public static UUID idFor(String persistenceId, long sequenceNr, String kind) {
    return UUID.nameUUIDFromBytes(
        (persistenceId + "/" + sequenceNr + "/" + kind).getBytes(StandardCharsets.UTF_8));
  }
}
