package storefront.node;

import akka.Done;
import akka.actor.typed.ActorSystem;
import catalog.Product;
import catalog.SampleCatalog;
import catalog.Warehouse;
import inventory.Stock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Loads the built-in sample catalog and puts its stock into the ProductStock entities. Safe to run
 * at every start: rows are inserted only when missing, and each restock has a fixed id that the
 * entity applies once.
 */
final class SampleData {
  private SampleData() {}

  static CompletionStage<Done> load(ActorSystem<?> system, Stock stock) {
    return SampleCatalog.load(system).thenCompose(done -> restockAll(stock));
  }

  private static CompletionStage<Done> restockAll(Stock stock) {
    List<CompletableFuture<?>> restocks = new ArrayList<>();
    for (Product product : SampleCatalog.products()) {
      for (Warehouse warehouse : SampleCatalog.WAREHOUSES) {
        restocks.add(
            stock
                .restock(
                    product.productId(),
                    "sample:" + warehouse.warehouseId(),
                    warehouse.warehouseId(),
                    warehouse.region(),
                    SampleCatalog.UNITS_PER_WAREHOUSE)
                .toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(restocks.toArray(CompletableFuture[]::new))
        .thenApply(all -> Done.getInstance());
  }
}
