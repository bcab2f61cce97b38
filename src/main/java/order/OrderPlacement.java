package order;

import akka.Done;
import java.util.concurrent.CompletionStage;

/** Places an order; placing the same draft again is acknowledged without a second order. */
public interface OrderPlacement {
  CompletionStage<Done> place(OrderDraft draft);
}
