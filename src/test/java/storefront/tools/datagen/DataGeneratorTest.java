package storefront.tools.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataGeneratorTest {
  private static final List<String> REGIONS =
      List.of("us-west", "us-east", "us-central", "eu-north");

  @Test
  void theSameSeedGivesTheSameData() {
    DataGenerator first = new DataGenerator(42);
    DataGenerator again = new DataGenerator(42);
    var users = first.users(2_000, REGIONS);
    var usersAgain = again.users(2_000, REGIONS);
    assertEquals(withoutIds(users), withoutIds(usersAgain));
    assertNotEquals(
        users.get(0).id(), usersAgain.get(0).id(), "user ids are random, not guessable");
    assertEquals(first.products(500), again.products(500));
    assertEquals(first.categories(), again.categories());
    var warehouses = first.warehouses(REGIONS, 2);
    assertEquals(warehouses, again.warehouses(REGIONS, 2));
    assertEquals(
        first.stock(first.products(50), warehouses, 10, 20),
        again.stock(again.products(50), warehouses, 10, 20));
  }

  /** A user's data without the id: the same seed gives the same people, each a new id. */
  private static List<String> withoutIds(List<DataGenerator.User> users) {
    return users.stream()
        .map(u -> String.join("|", u.name(), u.email(), u.region(), u.street(), u.zipCode()))
        .toList();
  }

  @Test
  void anotherSeedGivesOtherData() {
    assertNotEquals(
        new DataGenerator(1).users(100, REGIONS), new DataGenerator(2).users(100, REGIONS));
  }

  @Test
  void emailsAndIdsAreUniqueEvenForManyUsers() {
    var users = new DataGenerator(7).users(100_000, REGIONS);
    Set<String> emails = new HashSet<>();
    Set<Object> ids = new HashSet<>();
    users.forEach(
        u -> {
          assertTrue(emails.add(u.email()), "duplicate email " + u.email());
          assertTrue(ids.add(u.id()), "duplicate id " + u.id());
          assertTrue(REGIONS.contains(u.region()));
        });
    assertEquals(
        Set.copyOf(REGIONS),
        users.stream()
            .map(DataGenerator.User::region)
            .collect(java.util.stream.Collectors.toSet()));
  }

  @Test
  void stockStaysWithinTheRangeAndPricesArePositive() {
    DataGenerator generator = new DataGenerator(3);
    var products = generator.products(300);
    products.forEach(p -> assertTrue(p.price().signum() > 0, p.toString()));
    generator
        .stock(products, generator.warehouses(REGIONS, 1), 10_000, 50_000)
        .forEach(s -> assertTrue(s.quantity() >= 10_000 && s.quantity() <= 50_000));
    assertTrue(generator.categories().size() > 5);
    assertEquals("Electronics", generator.categories().get(0).name());
  }
}
