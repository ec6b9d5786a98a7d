package platform.internal.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void timeoutsLockWaitsAndLostConnectionsAreUnavailability() {
        assertTrue(DatabaseUnavailable.reason(new IllegalStateException("wrapped",
                new SQLException("canceling statement due to statement timeout", "57014"))).isPresent());
        assertTrue(DatabaseUnavailable.reason(new SQLException("lock", "55P03")).isPresent());
        assertTrue(DatabaseUnavailable.reason(new SQLException("refused", "08001")).isPresent());
        assertTrue(DatabaseUnavailable.reason(new SQLException("terminating connection", "57P01")).isPresent());
        assertTrue(DatabaseUnavailable.reason(new SQLException("Sorry, acquisition timeout!")).isPresent());
        assertTrue(DatabaseUnavailable.reason(new IllegalStateException("tenant directory lookup failed", new SQLException(
                "FATAL: database \"storefront_cell2\" is not currently accepting connections", "55000"))).isPresent());
        assertTrue(DatabaseUnavailable.reason(new SQLException("too many connections", "53300")).isPresent());
    }

    @Test
    void bugsAreNot() {
        assertFalse(DatabaseUnavailable.reason(new NullPointerException()).isPresent());
        assertFalse(DatabaseUnavailable.reason(new SQLException("syntax", "42601")).isPresent());
        assertFalse(DatabaseUnavailable.reason(new SQLException("unique", "23505")).isPresent());
        assertFalse(DatabaseUnavailable.reason(new SQLException("object not in prerequisite state", "55000")).isPresent());
    }

    @Test
    void onlyALostDatabaseOpensTheBreakerNotASlowStatementOrABusyPool() {
        assertTrue(DatabaseUnavailable.unreachable(new SQLException("refused", "08001")));
        assertTrue(DatabaseUnavailable.unreachable(new IllegalStateException(new SQLException("closed", "08003"))));
        assertTrue(DatabaseUnavailable.unreachable(new SQLException("terminating connection", "57P01")));
        assertTrue(DatabaseUnavailable.unreachable(new SQLException(
                "FATAL: database \"storefront_cell2\" is not currently accepting connections", "55000")));
        assertFalse(DatabaseUnavailable.unreachable(new SQLException("canceling statement due to statement timeout", "57014")));
        assertFalse(DatabaseUnavailable.unreachable(new SQLException("lock", "55P03")));
        assertFalse(DatabaseUnavailable.unreachable(new SQLException("Sorry, acquisition timeout!")));
        assertFalse(DatabaseUnavailable.unreachable(new SQLException("too many connections", "53300")));
    }
}
