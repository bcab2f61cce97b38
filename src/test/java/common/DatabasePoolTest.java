package common;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Which failures are conflicts the database rolled back (retried) and which are not: a lost
 * connection, which has no SQLSTATE, is not one, and must not fail the check itself (it did, with a
 * NullPointerException that became a 500 while a database primary was being replaced).
 */
class DatabasePoolTest {

  @Test
  void aSerializationFailureOrADeadlockIsAConflictALostConnectionIsNot() {
    assertTrue(
        DatabasePool.rolledBackForConflict(
            new CompletionException(
                new R2dbcTransientResourceException("could not serialize", "40001"))));
    assertTrue(
        DatabasePool.rolledBackForConflict(
            new R2dbcTransientResourceException("deadlock detected", "40P01")));
    assertFalse(
        DatabasePool.rolledBackForConflict(
            new CompletionException(new R2dbcNonTransientResourceException("Connection closed"))));
    assertFalse(
        DatabasePool.rolledBackForConflict(
            new R2dbcTransientResourceException("duplicate key", "23505")));
  }
}
