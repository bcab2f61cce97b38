package storefront.tools.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import storefront.tools.workload.ShopperSession.Shopper;

/**
 * The shoppers not visiting now. A user has one active cart, so two visits at once as one shopper
 * would share it (one's checkout or cancel ending the other's visit): a visit takes a shopper no
 * other visit has, waiting for one when there are fewer shoppers than visits at once.
 */
final class IdleShoppers {
  private final List<Shopper> idle;

  IdleShoppers(List<Shopper> shoppers) {
    this.idle = new ArrayList<>(shoppers);
  }

  /** A shopper chosen at random among the idle ones; empty when interrupted meanwhile. */
  synchronized Optional<Shopper> take() {
    try {
      while (idle.isEmpty()) {
        wait();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return Optional.of(idle.remove(ThreadLocalRandom.current().nextInt(idle.size())));
  }

  synchronized void giveBack(Shopper shopper) {
    idle.add(shopper);
    notifyAll();
  }
}
