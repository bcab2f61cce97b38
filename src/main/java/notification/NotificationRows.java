package notification;

import io.r2dbc.spi.Row;
import java.time.Instant;
import java.util.UUID;

/** Reads a notifications row: every column of the table, by name. */
public final class NotificationRows {
  public static final String COLUMNS =
      "notification_id, kind, product_id, order_id, user_id, recipient, subject, body, created_at";

  private NotificationRows() {}

  public static Notification read(Row row) {
    return new Notification(
        row.get("notification_id", UUID.class),
        row.get("kind", String.class),
        row.get("product_id", UUID.class),
        row.get("order_id", UUID.class),
        row.get("user_id", UUID.class),
        row.get("recipient", String.class),
        row.get("subject", String.class),
        row.get("body", String.class),
        row.get("created_at", Instant.class));
  }
}
