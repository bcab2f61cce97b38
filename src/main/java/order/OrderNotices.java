package order;

import akka.persistence.query.typed.EventEnvelope;
import akka.persistence.typed.PersistenceId;
import java.util.UUID;
import notification.Notification;
import notification.NotificationLog;

/**
 * The e-mails an order's events send to its user: the confirmation, once the order has shipped (it
 * carries the tracking number), and a declined payment.
 */
final class OrderNotices {
  private OrderNotices() {}

  static void add(NotificationLog log, EventEnvelope<Order.Event> envelope) {
    UUID orderId = UUID.fromString(PersistenceId.extractEntityId(envelope.persistenceId()));
    if (envelope.event() instanceof Order.OrderShipped e) {
      log.aboutOrder(
          id(envelope, Notification.ORDER_CONFIRMATION),
          Notification.ORDER_CONFIRMATION,
          orderId,
          "Your order is confirmed and on its way",
          "Thank you for your order "
              + orderId
              + " (total {total}). It is paid and shipped with "
              + e.carrier()
              + ", tracking number "
              + e.trackingNumber()
              + ".",
          e.at());
    } else if (envelope.event() instanceof Order.PaymentDeclined e) {
      log.aboutOrder(
          id(envelope, Notification.PAYMENT_FAILED),
          Notification.PAYMENT_FAILED,
          orderId,
          "Your payment was declined",
          "The payment for order "
              + orderId
              + " was declined ("
              + e.payment().declineReason()
              + "). Nothing was charged and the order is canceled.",
          e.payment().at());
    }
  }

  private static UUID id(EventEnvelope<Order.Event> envelope, String kind) {
    return Notification.idFor(envelope.persistenceId(), envelope.sequenceNr(), kind);
  }
}
