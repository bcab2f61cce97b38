package cart;

import common.RequestKey;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The cart entities as {@link ActiveCart} asks them: through Cluster Sharding on a node ({@link
 * ShardedCarts}), a stand-in in entity tests. A cart's refusal fails the stage with its {@link
 * common.Rejection.RejectedException}.
 */
public interface Carts {

  /** Opens the cart for the user, as POST /carts does (under the request key, if not null). */
  CompletionStage<ShoppingCart.CartView> open(
      String cartId,
      String userId,
      String region,
      List<ShoppingCart.NewLine> lines,
      RequestKey requestKey);

  /** The cart as it is now; one never opened fails with "not found". */
  CompletionStage<ShoppingCart.CartView> get(String cartId);
}
