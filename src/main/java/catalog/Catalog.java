package catalog;

import static common.Statements.bindNullable;

import akka.actor.typed.ActorSystem;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import common.DatabasePool;
import common.Rejection;
import io.r2dbc.postgresql.api.PostgresqlException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Reference data in plain SQL tables: categories, products, users and warehouses. A product or a
 * user looked up by id is kept for {@link #CACHED_FOR}, because every cart change and every product
 * page looks one up (a query each was a fifth of an order's transactions); ids not found are not
 * kept, so a new product or user is seen at once, and a changed price within that time.
 */
public final class Catalog {
  public static final Duration CACHED_FOR = Duration.ofSeconds(30);
  private static final int CACHED_ENTRIES = 200_000;

  private static final String PRODUCT_COLUMNS =
      "p.product_id, p.name, p.description, p.price, p.category_id, c.name AS category";
  private static final String PRODUCT_FILTER =
      " FROM products p JOIN categories c ON c.category_id = p.category_id"
          + " WHERE ($1::text IS NULL OR lower(c.name) = lower($1))"
          + " AND ($2::text IS NULL OR p.name ILIKE $2 OR p.description ILIKE $2)";

  private final ActorSystem<?> system;
  private final AsyncCache<UUID, Product> products = cache();
  private final AsyncCache<UUID, User> users = cache();

  public Catalog(ActorSystem<?> system) {
    this.system = system;
  }

  private static <T> AsyncCache<UUID, T> cache() {
    return Caffeine.newBuilder()
        .expireAfterWrite(CACHED_FOR)
        .maximumSize(CACHED_ENTRIES)
        .buildAsync();
  }

  /** Looks the id up through the cache; a lookup that finds nothing (null) is not kept. */
  private static <T> CompletionStage<Optional<T>> cached(
      AsyncCache<UUID, T> cache, UUID id, Function<UUID, CompletionStage<Optional<T>>> load) {
    return cache
        .get(
            id,
            (key, executor) -> load.apply(key).thenApply(o -> o.orElse(null)).toCompletableFuture())
        .thenApply(Optional::ofNullable);
  }

  public CompletionStage<List<Category>> categories() {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.select(
                session.createStatement(
                    "SELECT category_id, name, description FROM categories ORDER BY name"),
                Catalog::category));
  }

  /** Products of a category (by name, any case) whose name or description contains the text. */
  public CompletionStage<Page<Product>> products(
      Optional<String> category, Optional<String> text, int page, int size) {
    String pattern = text.map(t -> "%" + escapeLike(t) + "%").orElse(null);
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session -> {
          Statement count = session.createStatement("SELECT count(*) AS total" + PRODUCT_FILTER);
          Statement select =
              session
                  .createStatement(
                      "SELECT "
                          + PRODUCT_COLUMNS
                          + PRODUCT_FILTER
                          + " ORDER BY c.name, p.name, p.product_id LIMIT $3 OFFSET $4")
                  .bind(2, size)
                  .bind(3, (long) page * size);
          bindFilter(count, category, pattern);
          bindFilter(select, category, pattern);
          return Page.read(session, count, select, Catalog::product, page, size);
        });
  }

  private static void bindFilter(Statement statement, Optional<String> category, String pattern) {
    bindNullable(statement, 0, category.orElse(null), String.class);
    bindNullable(statement, 1, pattern, String.class);
  }

  private static String escapeLike(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  public CompletionStage<Optional<Product>> product(UUID productId) {
    return cached(products, productId, this::loadProduct);
  }

  private CompletionStage<Optional<Product>> loadProduct(UUID productId) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.selectOne(
                session
                    .createStatement(
                        "SELECT "
                            + PRODUCT_COLUMNS
                            + " FROM products p JOIN categories c ON c.category_id = p.category_id"
                            + " WHERE p.product_id = $1")
                    .bind(0, productId),
                Catalog::product));
  }

  /** Users of a region (or all), by name; pages from 0. */
  public CompletionStage<Page<User>> users(Optional<String> region, int page, int size) {
    String filter = " FROM users WHERE ($1::text IS NULL OR region = $1)";
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session -> {
          Statement count =
              bindNullable(
                  session.createStatement("SELECT count(*) AS total" + filter),
                  0,
                  region.orElse(null),
                  String.class);
          Statement select =
              bindNullable(
                  session
                      .createStatement(
                          "SELECT user_id, name, email, region, street, city, state, zip_code"
                              + filter
                              + " ORDER BY name, user_id LIMIT $2 OFFSET $3")
                      .bind(1, size)
                      .bind(2, (long) page * size),
                  0,
                  region.orElse(null),
                  String.class);
          return Page.read(session, count, select, Catalog::user, page, size);
        });
  }

  public CompletionStage<Optional<User>> user(UUID userId) {
    return cached(users, userId, this::loadUser);
  }

  private CompletionStage<Optional<User>> loadUser(UUID userId) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.selectOne(
                session
                    .createStatement(
                        "SELECT user_id, name, email, region, street, city, state, zip_code"
                            + " FROM users WHERE user_id = $1")
                    .bind(0, userId),
                Catalog::user));
  }

  /** The users table's UNIQUE (email), as PostgreSQL names it (ddl-scripts/02_catalog.sql). */
  private static final String EMAIL_UNIQUE = "users_email_key";

  /** What signing in checks: the user an email belongs to and their password's hash. */
  public record Credentials(String userId, String passwordHash) {}

  /** A registration under an Idempotency-Key, as the users table keeps it for 24 hours. */
  public record Registration(String userId, String fingerprint, String passwordHash) {}

  /** The registration made under this key in the last 24 hours, if any. */
  public CompletionStage<Optional<Registration>> registration(String key) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.selectOne(
                session
                    .createStatement(
                        "SELECT user_id, registration_fingerprint, password_hash FROM users"
                            + " WHERE registration_key = $1"
                            + " AND created_at > now() - interval '24 hours'")
                    .bind(0, key),
                row ->
                    new Registration(
                        row.get("user_id", UUID.class).toString(),
                        row.get("registration_fingerprint", String.class),
                        row.get("password_hash", String.class))));
  }

  /** The credentials of the user with this email; empty when no user has it. */
  public CompletionStage<Optional<Credentials>> credentials(String email) {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.selectOne(
                session
                    .createStatement("SELECT user_id, password_hash FROM users WHERE email = $1")
                    .bind(0, email),
                row ->
                    new Credentials(
                        row.get("user_id", UUID.class).toString(),
                        row.get("password_hash", String.class))));
  }

  /**
   * Creates a user who signs in with this password hash (none: cannot sign in), registered under
   * this key and fingerprint (none: without a key); an email already registered is a conflict.
   */
  public CompletionStage<User> createUser(
      User user, String passwordHash, String registrationKey, String fingerprint) {
    return DatabasePool.SHOP_QUERIES
        .withSession(
            system,
            session -> {
              Statement insert =
                  session
                      .createStatement(
                          "INSERT INTO users (user_id, name, email, region, street, city, state,"
                              + " zip_code, password_hash, registration_key,"
                              + " registration_fingerprint)"
                              + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                      .bind(0, UUID.fromString(user.userId()))
                      .bind(1, user.name())
                      .bind(2, user.email())
                      .bind(3, user.region())
                      .bind(4, user.street())
                      .bind(5, user.city())
                      .bind(6, user.state())
                      .bind(7, user.zipCode());
              bindNullable(insert, 8, passwordHash, String.class);
              bindNullable(insert, 9, registrationKey, String.class);
              bindNullable(insert, 10, fingerprint, String.class);
              return session.updateOne(insert);
            })
        .handle(
            (inserted, error) -> {
              if (error == null) {
                return user;
              }
              if (violated(rootCause(error), EMAIL_UNIQUE)) {
                throw Rejection.conflict("a user with email " + user.email() + " already exists")
                    .asException();
              }
              throw asRuntime(error);
            });
  }

  public CompletionStage<List<Warehouse>> warehouses() {
    return DatabasePool.SHOP_QUERIES.withSession(
        system,
        session ->
            session.select(
                session.createStatement(
                    "SELECT warehouse_id, region, location FROM warehouses ORDER BY region,"
                        + " location"),
                Catalog::warehouse));
  }

  /** The regions that have at least one warehouse: the regions shoppers can live in. */
  public CompletionStage<List<String>> regions() {
    return warehouses()
        .thenApply(all -> all.stream().map(Warehouse::region).distinct().sorted().toList());
  }

  private static Category category(Row row) {
    return new Category(
        row.get("category_id", UUID.class).toString(),
        row.get("name", String.class),
        row.get("description", String.class));
  }

  private static Product product(Row row) {
    return new Product(
        row.get("product_id", UUID.class).toString(),
        row.get("name", String.class),
        row.get("description", String.class),
        row.get("price", BigDecimal.class),
        row.get("category_id", UUID.class).toString(),
        row.get("category", String.class));
  }

  private static User user(Row row) {
    return new User(
        row.get("user_id", UUID.class).toString(),
        row.get("name", String.class),
        row.get("email", String.class),
        row.get("region", String.class),
        row.get("street", String.class),
        row.get("city", String.class),
        row.get("state", String.class),
        row.get("zip_code", String.class));
  }

  private static Warehouse warehouse(Row row) {
    return new Warehouse(
        row.get("warehouse_id", UUID.class).toString(),
        row.get("region", String.class),
        row.get("location", String.class));
  }

  /** Whether the error is PostgreSQL refusing a row because of this constraint. */
  private static boolean violated(Throwable error, String constraint) {
    return error instanceof R2dbcDataIntegrityViolationException
        && error instanceof PostgresqlException postgres
        && postgres.getErrorDetails().getConstraintName().filter(constraint::equals).isPresent();
  }

  private static Throwable rootCause(Throwable error) {
    Throwable current = error;
    while (current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  private static RuntimeException asRuntime(Throwable error) {
    return error instanceof RuntimeException runtime
        ? runtime
        : new java.util.concurrent.CompletionException(error);
  }
}
