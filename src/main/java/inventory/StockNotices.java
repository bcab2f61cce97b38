package inventory;

import akka.persistence.query.typed.EventEnvelope;
import java.time.Instant;
import java.util.UUID;
import notification.Notification;
import notification.NotificationLog;

/** The notifications a product's availability crossing a line sends to operators. */
final class StockNotices {
  private StockNotices() {}

  static void soldOut(
      NotificationLog log,
      EventEnvelope<?> envelope,
      UUID productId,
      ProductStock.SoldOut soldOut,
      Instant at) {
    String restock =
        soldOut.restock() == null
            ? "No restock is planned."
            : "A restock of "
                + soldOut.restock().quantity()
                + " units is due at "
                + soldOut.restock().dueAt()
                + ".";
    add(
        log,
        envelope,
        Notification.SOLD_OUT,
        productId,
        "Sold out: {product}",
        "The last available unit of {product} is gone. " + restock,
        at);
  }

  static void backInStock(
      NotificationLog log,
      EventEnvelope<?> envelope,
      UUID productId,
      ProductStock.BackInStock back,
      Instant at) {
    add(
        log,
        envelope,
        Notification.BACK_IN_STOCK,
        productId,
        "Back in stock: {product}",
        "{product} has " + back.available() + " units available again.",
        at);
  }

  static void lowStock(
      NotificationLog log,
      EventEnvelope<?> envelope,
      UUID productId,
      ProductStock.LowStock low,
      Instant at) {
    add(
        log,
        envelope,
        Notification.LOW_STOCK,
        productId,
        "Low stock: {product}",
        "{product} has "
            + low.available()
            + " units available (the low-stock threshold is "
            + low.threshold()
            + ").",
        at);
  }

  private static void add(
      NotificationLog log,
      EventEnvelope<?> envelope,
      String kind,
      UUID productId,
      String subject,
      String body,
      Instant at) {
    log.aboutProduct(
        Notification.idFor(envelope.persistenceId(), envelope.sequenceNr(), kind),
        kind,
        productId,
        subject,
        body,
        at);
  }
}
