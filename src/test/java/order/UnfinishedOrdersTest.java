package order;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sweeps' conditions are built from Order.Status; their partial indexes are plain SQL. A
 * condition serves from its index only if it is the index's predicate, so the names the enum gives
 * must be those the DDL spells.
 */
class UnfinishedOrdersTest {

  @Test
  void eachSweepConditionIsThePredicateOfAPartialIndex() throws IOException {
    String ddl;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("ddl-scripts/04_order_read_side.sql")) {
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }
    for (String condition :
        List.of(
            UnfinishedOrders.NOT_ENDED, UnfinishedOrders.CART_UNTOLD, UnfinishedOrders.UNSHIPPED)) {
      assertTrue(
          ddl.contains("ON orders (updated_at, order_id) WHERE " + condition + ";"), condition);
    }
  }
}
