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

  public BigDecimal total() {
    return lines.stream().map(OrderLine::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
