package order;

import com.fasterxml.jackson.annotation.JsonProperty;
import common.CborSerializable;
import java.math.BigDecimal;
import java.time.Instant;

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

  public enum Status {
    @JsonProperty("completed")
    COMPLETED,
    @JsonProperty("failed")
    FAILED
  }

  public boolean completed() {
    return status == Status.COMPLETED;
  }
}
