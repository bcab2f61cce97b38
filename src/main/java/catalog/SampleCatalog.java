package catalog;

import akka.Done;
import akka.actor.typed.ActorSystem;
import common.DatabasePool;
import io.r2dbc.spi.Statement;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A small built-in catalog so that a fresh shop works at once: the five categories of the seeds,
 * four products each, two users and one warehouse per region. Ids are derived from names, so
 * loading it again changes nothing.
 */
public final class SampleCatalog {

  public static final List<Warehouse> WAREHOUSES =
      List.of(
          new Warehouse(id("warehouse:us-west"), "us-west", "Seattle, WA"),
          new Warehouse(id("warehouse:us-east"), "us-east", "Newark, NJ"),
          new Warehouse(id("warehouse:us-central"), "us-central", "Chicago, IL"));

  /** Units of every product placed in every warehouse on first start. */
  public static final int UNITS_PER_WAREHOUSE = 100;

  private static final String[][] CATEGORIES = {
    {"Electronics", "Phones, computers and the gadgets around them"},
    {"Clothing", "Everyday wear for every season"},
    {"Home & Kitchen", "Cookware, furniture and the small things of a home"},
    {"Books", "Fiction, non-fiction and reference"},
    {"Toys & Games", "For children and the children in adults"},
  };

  private static final Object[][] PRODUCTS = {
    {"Electronics", "Wireless Earbuds", "Noise-cancelling earbuds with a 24-hour case", "79.99"},
    {"Electronics", "USB-C Charger 65W", "Compact charger for laptops and phones", "39.90"},
    {
      "Electronics",
      "Mechanical Keyboard",
      "Tenkeyless keyboard with hot-swappable switches",
      "119.00"
    },
    {"Electronics", "4K Monitor 27\"", "IPS panel, 60 Hz, USB-C input", "329.00"},
    {"Clothing", "Rain Jacket", "Waterproof, breathable shell with a packable hood", "89.50"},
    {"Clothing", "Merino T-Shirt", "Soft, odour-resistant merino wool", "45.00"},
    {"Clothing", "Trail Running Shoes", "Grippy sole, cushioned midsole", "129.95"},
    {"Clothing", "Wool Socks (3 pairs)", "Warm, durable hiking socks", "24.00"},
    {"Home & Kitchen", "Cast Iron Skillet", "Pre-seasoned 10-inch skillet", "34.99"},
    {"Home & Kitchen", "Pour-Over Coffee Set", "Glass dripper, carafe and filters", "42.00"},
    {"Home & Kitchen", "Chef's Knife", "8-inch stainless steel chef's knife", "59.00"},
    {"Home & Kitchen", "Linen Bed Sheets", "Queen size, stone-washed linen", "149.00"},
    {"Books", "Designing Data-Intensive Applications", "Martin Kleppmann", "44.99"},
    {"Books", "The Pragmatic Programmer", "David Thomas and Andrew Hunt", "39.99"},
    {"Books", "Dune", "Frank Herbert", "12.99"},
    {"Books", "The Very Hungry Caterpillar", "Eric Carle", "8.99"},
    {"Toys & Games", "Wooden Building Blocks", "100 blocks in a canvas bag", "29.99"},
    {"Toys & Games", "Strategy Board Game", "2 to 4 players, ages 10 and up", "49.00"},
    {"Toys & Games", "Remote Control Car", "Off-road car with rechargeable battery", "59.99"},
    {"Toys & Games", "1000-Piece Puzzle", "Mountain lake landscape", "19.99"},
  };

  private static final String[][] USERS = {
    {"Ada Lovelace", "ada@example.com", "us-west", "12 Pine St", "Seattle", "WA", "98101"},
    {
      "Grace Hopper",
      "grace@example.com",
      "us-west",
      "400 Market St",
      "San Francisco",
      "CA",
      "94105"
    },
    {"Alan Turing", "alan@example.com", "us-east", "77 Broad St", "New York", "NY", "10004"},
    {
      "Katherine Johnson",
      "katherine@example.com",
      "us-east",
      "1 Federal St",
      "Boston",
      "MA",
      "02110"
    },
    {
      "Edsger Dijkstra",
      "edsger@example.com",
      "us-central",
      "233 Wacker Dr",
      "Chicago",
      "IL",
      "60606"
    },
    {
      "Barbara Liskov",
      "barbara@example.com",
      "us-central",
      "500 Congress Ave",
      "Austin",
      "TX",
      "78701"
    },
  };

  private SampleCatalog() {}

  public static List<Product> products() {
    List<Product> products = new ArrayList<>();
    for (Object[] p : PRODUCTS) {
      String category = (String) p[0];
      products.add(
          new Product(
              id("product:" + p[1]),
              (String) p[1],
              (String) p[2],
              new BigDecimal((String) p[3]),
              id("category:" + category),
              category));
    }
    return products;
  }

  public static List<User> users() {
    List<User> users = new ArrayList<>();
    for (String[] u : USERS) {
      users.add(new User(id("user:" + u[1]), u[0], u[1], u[2], u[3], u[4], u[5], u[6]));
    }
    return users;
  }

  /** Inserts whatever of the sample is missing; rows that exist are left as they are. */
  public static CompletionStage<Done> load(ActorSystem<?> system) {
    return DatabasePool.JOURNAL.withSession(
        system,
        session -> {
          List<Statement> statements = new ArrayList<>();
          for (String[] c : CATEGORIES) {
            statements.add(
                session
                    .createStatement(
                        "INSERT INTO categories (category_id, name, description) VALUES ($1, $2,"
                            + " $3) ON CONFLICT DO NOTHING")
                    .bind(0, UUID.fromString(id("category:" + c[0])))
                    .bind(1, c[0])
                    .bind(2, c[1]));
          }
          for (Warehouse w : WAREHOUSES) {
            statements.add(
                session
                    .createStatement(
                        "INSERT INTO warehouses (warehouse_id, region, location) VALUES ($1, $2,"
                            + " $3) ON CONFLICT DO NOTHING")
                    .bind(0, UUID.fromString(w.warehouseId()))
                    .bind(1, w.region())
                    .bind(2, w.location()));
          }
          for (Product p : products()) {
            statements.add(
                session
                    .createStatement(
                        "INSERT INTO products (product_id, name, description, price, category_id)"
                            + " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING")
                    .bind(0, UUID.fromString(p.productId()))
                    .bind(1, p.name())
                    .bind(2, p.description())
                    .bind(3, p.price())
                    .bind(4, UUID.fromString(p.categoryId())));
          }
          for (User u : users()) {
            statements.add(
                session
                    .createStatement(
                        "INSERT INTO users (user_id, name, email, region, street, city, state,"
                            + " zip_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                            + " ON CONFLICT DO NOTHING")
                    .bind(0, UUID.fromString(u.userId()))
                    .bind(1, u.name())
                    .bind(2, u.email())
                    .bind(3, u.region())
                    .bind(4, u.street())
                    .bind(5, u.city())
                    .bind(6, u.state())
                    .bind(7, u.zipCode()));
          }
          return session.update(statements).thenApply(counts -> Done.getInstance());
        });
  }

  private static String id(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
