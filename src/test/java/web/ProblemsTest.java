package web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTimeoutException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;

/** A 503 says "retrying is safe" only for database failures that a retry can cure. */
class ProblemsTest {

  @Test
  void anUnreachableRestartingOrBusyDatabaseIsWorthARetry() {
    assertTrue(Problems.retryCures(new R2dbcNonTransientResourceException("connection refused")));
    assertTrue(Problems.retryCures(new R2dbcNonTransientResourceException("closed", "08006")));
    assertTrue(Problems.retryCures(new R2dbcNonTransientResourceException("shutdown", "57P01")));
    assertTrue(Problems.retryCures(new R2dbcTransientResourceException("too many", "53300")));
    assertTrue(Problems.retryCures(new R2dbcRollbackException("serialization", "40001")));
    assertTrue(Problems.retryCures(new R2dbcTimeoutException("statement timeout", "57014")));
  }

  @Test
  void aFailureThatWouldRepeatIsNot() {
    assertFalse(Problems.retryCures(new R2dbcBadGrammarException("syntax", "42601")));
    assertFalse(Problems.retryCures(new R2dbcDataIntegrityViolationException("unique", "23505")));
    assertFalse(Problems.retryCures(new R2dbcDataIntegrityViolationException("overflow", "22003")));
    assertFalse(Problems.retryCures(new R2dbcPermissionDeniedException("denied", "42501")));
  }
}
