package order;

import java.util.List;

/**
 * Only for cart.ShoppingCart, which imports it from here and is being reshaped on another branch:
 * when the branches meet, ShoppingCart imports order.payment.PaymentMethods and this class goes.
 */
@Deprecated(forRemoval = true)
public final class PaymentMethods {
  public static final List<String> ALL = order.payment.PaymentMethods.ALL;

  private PaymentMethods() {}

  public static boolean isSupported(String method) {
    return order.payment.PaymentMethods.isSupported(method);
  }
}
