package order.payment;

import java.util.List;

/** The payment methods the gateway accepts, spelled as shoppers send them. */
public final class PaymentMethods {
  public static final String CREDIT_CARD = "credit card";
  public static final String PAYPAL = "paypal";
  public static final List<String> ALL = List.of(CREDIT_CARD, PAYPAL);

  private PaymentMethods() {}

  public static boolean isSupported(String method) {
    return ALL.contains(method);
  }
}
