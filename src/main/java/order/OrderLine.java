package order;

import common.CborSerializable;
import java.math.BigDecimal;

/** One product of an order, at the unit price the shopper saw when adding it to the cart. */
public record OrderLine(String productId, int quantity, BigDecimal unitPrice)
    implements CborSerializable {

  public BigDecimal amount() {
    return unitPrice.multiply(BigDecimal.valueOf(quantity));
  }
}
