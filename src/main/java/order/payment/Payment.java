package order.payment;

import com.fasterxml.jackson.annotation.JsonProperty;
import common.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;

/** The gateway's answer to one charge: completed with a transaction id, or failed with a reason. */
public record Payment(
    String paymentId,
    String transactionId,
    String method,
    BigDecimal amount,
    Status status,
    String declineReason,
    Instant at)
    implements CborSerializable {

  /** The names are those of the JSON, the gateway's ledger and the read side's payment_status. */
  public enum Status {
    @JsonProperty("completed")
    COMPLETED,
    @JsonProperty("failed")
    FAILED;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public boolean completed() {
    return status == Status.COMPLETED;
  }
}
