package storefront.tools.datagen;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import net.datafaker.Faker;

/**
 * Deterministic reference data for a seed: the same seed and sizes always give the same rows, with
 * the same ids, so loading again changes nothing. Emails carry the user's number and are unique by
 * construction.
 */
final class DataGenerator {

  /** The seeds' five categories first, then more. Ids match the sample catalog's. */
  static final List<String> CATEGORIES =
      List.of(
          "Electronics",
          "Clothing",
          "Home & Kitchen",
          "Books",
          "Toys & Games",
          "Sports & Outdoors",
          "Beauty & Personal Care",
          "Grocery",
          "Garden",
          "Automotive",
          "Office Supplies",
          "Pet Supplies",
          "Music");

  /** States and cities of the default regions; other regions get cities from the faker. */
  static final Map<String, List<String[]>> PLACES =
      Map.of(
          "us-west",
          List.of(
              new String[] {"WA", "Seattle"},
              new String[] {"WA", "Spokane"},
              new String[] {"OR", "Portland"},
              new String[] {"CA", "San Francisco"},
              new String[] {"CA", "Los Angeles"},
              new String[] {"CA", "San Diego"}),
          "us-east",
          List.of(
              new String[] {"NY", "New York"},
              new String[] {"NY", "Buffalo"},
              new String[] {"MA", "Boston"},
              new String[] {"NJ", "Newark"},
              new String[] {"PA", "Philadelphia"},
              new String[] {"PA", "Pittsburgh"}),
          "us-central",
          List.of(
              new String[] {"IL", "Chicago"},
              new String[] {"IL", "Springfield"},
              new String[] {"TX", "Austin"},
              new String[] {"TX", "Dallas"},
              new String[] {"MO", "St. Louis"},
              new String[] {"MN", "Minneapolis"}));

  record Category(UUID id, String name, String description) {}

  record Product(UUID id, String name, String description, BigDecimal price, UUID categoryId) {}

  record User(
      UUID id,
      String name,
      String email,
      String region,
      String street,
      String city,
      String state,
      String zipCode) {}

  record Warehouse(UUID id, String region, String location) {}

  /** Units to place in one warehouse for one product. */
  record Stock(UUID productId, UUID warehouseId, int quantity) {}

  private final long seed;

  DataGenerator(long seed) {
    this.seed = seed;
  }

  List<Category> categories() {
    Faker faker = faker("categories");
    return CATEGORIES.stream()
        .map(name -> new Category(nameId("category:" + name), name, faker.lorem().sentence(6)))
        .toList();
  }

  List<Product> products(int count) {
    Faker faker = faker("products");
    List<Category> categories = categories();
    List<Product> products = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Category category = categories.get(faker.random().nextInt(categories.size()));
      BigDecimal price =
          BigDecimal.valueOf(faker.random().nextInt(99, 50_000))
              .movePointLeft(2)
              .setScale(2, RoundingMode.UNNECESSARY);
      products.add(
          new Product(
              seededId("product", i),
              faker.commerce().productName() + " " + faker.commerce().material(),
              faker.lorem().sentence(12),
              price,
              category.id()));
    }
    return products;
  }

  List<User> users(int count, List<String> regions) {
    Faker faker = faker("users");
    List<String[]> places = new ArrayList<>();
    List<String> placeRegions = new ArrayList<>();
    for (String region : regions) {
      for (String[] place : placesOf(region)) {
        places.add(place);
        placeRegions.add(region);
      }
    }
    List<User> users = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int place = i % places.size();
      String first = faker.name().firstName();
      String last = faker.name().lastName();
      String email =
          (first + "." + last).toLowerCase(Locale.ROOT).replaceAll("[^a-z.]", "")
              + "."
              + i
              + "@example.com";
      users.add(
          new User(
              // Random, not seeded: a user id must not be guessable (the email stays seeded,
              // so a second run with the seed adds no one).
              UUID.randomUUID(),
              first + " " + last,
              email,
              placeRegions.get(place),
              faker.address().streetAddress(),
              places.get(place)[1],
              places.get(place)[0],
              faker.address().zipCode()));
    }
    return users;
  }

  List<Warehouse> warehouses(List<String> regions, int perRegion) {
    List<Warehouse> warehouses = new ArrayList<>();
    for (String region : regions) {
      List<String[]> places = placesOf(region);
      for (int k = 0; k < perRegion; k++) {
        String[] place = places.get(k % places.size());
        warehouses.add(
            new Warehouse(
                nameId("datagen-warehouse:" + region + ":" + k),
                region,
                place[1] + ", " + place[0] + " DC" + (k + 1)));
      }
    }
    return warehouses;
  }

  /** Units per product and warehouse; each pair's amount depends on the seed and the pair only. */
  List<Stock> stock(List<Product> products, List<Warehouse> warehouses, int min, int max) {
    List<Stock> stock = new ArrayList<>(products.size() * warehouses.size());
    for (Product product : products) {
      for (Warehouse warehouse : warehouses) {
        Random random =
            new Random(seed * 31 + product.id().hashCode() * 17L + warehouse.id().hashCode());
        stock.add(new Stock(product.id(), warehouse.id(), min + random.nextInt(max - min + 1)));
      }
    }
    return stock;
  }

  private List<String[]> placesOf(String region) {
    List<String[]> known = PLACES.get(region);
    if (known != null) {
      return known;
    }
    Faker faker = faker("places:" + region);
    List<String[]> invented = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      invented.add(new String[] {faker.address().stateAbbr(), faker.address().city()});
    }
    return invented;
  }

  private Faker faker(String purpose) {
    return new Faker(Locale.US, new Random(seed * 31 + purpose.hashCode()));
  }

  private UUID seededId(String kind, int index) {
    return nameId("datagen:" + seed + ":" + kind + ":" + index);
  }

  private static UUID nameId(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
  }
}
