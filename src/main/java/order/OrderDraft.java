package order;

import common.CborSerializable;
import java.math.BigDecimal;
import java.util.List;

/** Everything an order needs to run, as the checked-out cart hands it over. */
public record OrderDraft(
    String orderId,
    String cartId,
    String userId,
    String region,
    List<OrderLine> lines,
    String paymentMethod)
    implements CborSerializable {

  /**
   * The most an order may total: amounts are NUMERIC(12, 2) in the read side and the payment
   * ledger, and a total they cannot hold would stop the projection that writes it.
   */
  public static final BigDecimal MAX_TOTAL = new BigDecimal("9999999999.99");

  public BigDecimal total() {
    return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
