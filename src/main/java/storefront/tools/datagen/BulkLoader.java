package storefront.tools.datagen;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import storefront.tools.datagen.DataGenerator.Category;
import storefront.tools.datagen.DataGenerator.Product;
import storefront.tools.datagen.DataGenerator.User;
import storefront.tools.datagen.DataGenerator.Warehouse;

/**
 * Inserts reference data in batches: one statement per batch with the columns bound as arrays and
 * expanded by unnest, so 100,000 rows take 20 round trips, not 100,000. Rows that exist are kept.
 */
final class BulkLoader {
  static final int BATCH = 5_000;

  private final ActorSystem<?> system;

  BulkLoader(ActorSystem<?> system) {
    this.system = system;
  }

  CompletionStage<Done> categories(List<Category> rows) {
    return inBatches(
        rows,
        "INSERT INTO categories (category_id, name, description)"
            + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
        batch ->
            new Object[] {
              batch.stream().map(Category::id).toArray(java.util.UUID[]::new),
              batch.stream().map(Category::name).toArray(String[]::new),
              batch.stream().map(Category::description).toArray(String[]::new)
            });
  }

  CompletionStage<Done> warehouses(List<Warehouse> rows) {
    return inBatches(
        rows,
        "INSERT INTO warehouses (warehouse_id, region, location)"
            + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING",
        batch ->
            new Object[] {
              batch.stream().map(Warehouse::id).toArray(java.util.UUID[]::new),
              batch.stream().map(Warehouse::region).toArray(String[]::new),
              batch.stream().map(Warehouse::location).toArray(String[]::new)
            });
  }

  CompletionStage<Done> products(List<Product> rows) {
    return inBatches(
        rows,
        "INSERT INTO products (product_id, name, description, price, category_id)"
            + " SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[],"
            + " $5::uuid[]) ON CONFLICT DO NOTHING",
        batch ->
            new Object[] {
              batch.stream().map(Product::id).toArray(java.util.UUID[]::new),
              batch.stream().map(Product::name).toArray(String[]::new),
              batch.stream().map(Product::description).toArray(String[]::new),
              batch.stream().map(Product::price).toArray(BigDecimal[]::new),
              batch.stream().map(Product::categoryId).toArray(java.util.UUID[]::new)
            });
  }

  /** Users who all sign in with the password of this hash. */
  CompletionStage<Done> users(List<User> rows, String passwordHash) {
    return inBatches(
        rows,
        "INSERT INTO users (user_id, name, email, region, street, city, state, zip_code,"
            + " password_hash)"
            + " SELECT *, $9 FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[],"
            + " $5::text[], $6::text[], $7::text[], $8::text[]) ON CONFLICT DO NOTHING",
        batch ->
            new Object[] {
              batch.stream().map(User::id).toArray(java.util.UUID[]::new),
              batch.stream().map(User::name).toArray(String[]::new),
              batch.stream().map(User::email).toArray(String[]::new),
              batch.stream().map(User::region).toArray(String[]::new),
              batch.stream().map(User::street).toArray(String[]::new),
              batch.stream().map(User::city).toArray(String[]::new),
              batch.stream().map(User::state).toArray(String[]::new),
              batch.stream().map(User::zipCode).toArray(String[]::new),
              passwordHash
            });
  }

  private <T> CompletionStage<Done> inBatches(
      List<T> rows, String sql, Function<List<T>, Object[]> columns) {
    CompletionStage<Done> done = CompletableFuture.completedFuture(Done.getInstance());
    for (int from = 0; from < rows.size(); from += BATCH) {
      List<T> batch = rows.subList(from, Math.min(rows.size(), from + BATCH));
      done =
          done.thenCompose(
              previous ->
                  DatabasePool.JOURNAL.withSession(
                      system,
                      session -> {
                        var statement = session.createStatement(sql);
                        Object[] values = columns.apply(batch);
                        for (int i = 0; i < values.length; i++) {
                          statement.bind(i, values[i]);
                        }
                        return session.updateOne(statement).thenApply(n -> Done.getInstance());
                      }));
    }
    return done;
  }
}
