package platform.internal.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import platform.ProblemException;
import platform.bulkhead.TrafficClass;

class TenantBulkheadImplTest {

    record Settings(int maxShare, int admitBelow, int maxWaiting, Duration maxWait, Duration statementTimeout,
                    Duration lockTimeout, int parallelWorkers, boolean genericPlans, double tenantDatabaseTime,
                    Duration tenantDatabaseTimeBurst) implements BulkheadConfig.ClassSettings {

        Settings(int maxShare, int admitBelow, int maxWaiting, Duration maxWait, Duration statementTimeout, Duration lockTimeout) {
            this(maxShare, admitBelow, maxWaiting, maxWait, statementTimeout, lockTimeout, 0, false, 0, Duration.ZERO);
        }
    }

    /** The defaults of application.properties. */
    static final BulkheadConfig DEFAULTS = new BulkheadConfig() {
        @Override public boolean enabled() { return true; }
        @Override public int headroom() { return 2; }
        @Override public int tenantMaxShare() { return 50; }
        @Override public int tenantMin() { return 2; }
        @Override public ClassSettings checkout() { return new Settings(100, 100, 64, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(3)); }
        @Override public ClassSettings background() { return new Settings(25, 80, 16, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(10)); }
        @Override public ClassSettings cart() { return new Settings(60, 80, 32, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2)); }
        @Override public ClassSettings browse() { return new Settings(60, 70, 32, Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(1)); }
        @Override public ClassSettings admin() { return new Settings(12, 60, 16, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(3)); }
        @Override public ClassSettings report() { return new Settings(12, 50, 16, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)); }
    };

    @Test
    void theDefaultsOfAPoolOfTwentyConnections() {
        Limiter.Limits limits = TenantBulkheadImpl.limits(20, DEFAULTS);
        assertEquals(18, limits.capacity());
        assertEquals(9, limits.tenantMax());
        assertEquals(2, limits.tenantMin());
        assertEquals(new Limiter.ClassLimits(18, 18, 64), limits.of(TrafficClass.CHECKOUT));
        assertEquals(new Limiter.ClassLimits(4, 14, 16), limits.of(TrafficClass.BACKGROUND));
        assertEquals(new Limiter.ClassLimits(10, 14, 32), limits.of(TrafficClass.CART));
        assertEquals(new Limiter.ClassLimits(10, 12, 32), limits.of(TrafficClass.BROWSE));
        assertEquals(new Limiter.ClassLimits(2, 10, 16), limits.of(TrafficClass.ADMIN));
        assertEquals(new Limiter.ClassLimits(2, 9, 16), limits.of(TrafficClass.REPORT));
    }

    @Test
    void aTinyPoolStillAdmitsEveryClass() {
        Limiter.Limits limits = TenantBulkheadImpl.limits(2, DEFAULTS);
        assertEquals(1, limits.capacity());
        assertEquals(1, limits.tenantMax());
        assertEquals(1, limits.tenantMin());
        for (TrafficClass c : TrafficClass.values()) {
            assertEquals(1, limits.of(c).maxHeld());
            assertEquals(1, limits.of(c).admitBelow());
        }
    }

    @Test
    void aStatementCutByItsTimeoutIsA503ThatSaysSo() {
        RuntimeException failure = new RuntimeException("could not execute query",
                new SQLException("ERROR: canceling statement due to statement timeout", "57014"));
        TenantBulkheadImpl.Refusal admin = TenantBulkheadImpl.classify(failure, TrafficClass.ADMIN, DEFAULTS.admin()).orElseThrow();
        assertEquals(Optional.of("statement"), admin.timeout());
        assertEquals(503, admin.problem().problem().status());
        assertEquals("Query took too long", admin.problem().problem().title());
        assertTrue(admin.problem().problem().detail().contains("10 s an admin request may take"), admin.problem().problem().detail());
        assertEquals(Optional.of(Duration.ofSeconds(5)), admin.problem().retryAfter());

        ProblemException report = TenantBulkheadImpl.classify(failure, TrafficClass.REPORT, DEFAULTS.report()).orElseThrow().problem();
        assertEquals("Query took too long", report.problem().title());
        assertTrue(report.problem().detail().contains("listing, search or report ran longer than the 1 s it may take"),
                report.problem().detail());
        assertTrue(report.problem().detail().contains("Narrow it down"), report.problem().detail());
        assertEquals(Optional.of(Duration.ofSeconds(5)), report.retryAfter());

        ProblemException browse = TenantBulkheadImpl.classify(failure, TrafficClass.BROWSE, DEFAULTS.browse()).orElseThrow().problem();
        assertTrue(browse.problem().detail().contains("2 s a browse request may take"), browse.problem().detail());
        assertEquals(Optional.of(Duration.ofSeconds(1)), browse.retryAfter());
    }

    @Test
    void aLockWaitCutByItsTimeoutIsA503ThatSaysSo() {
        SQLException batch = new SQLException("batch failed", "42000");
        batch.setNextException(new SQLException("ERROR: canceling statement due to lock timeout", "55P03"));
        TenantBulkheadImpl.Refusal refusal = TenantBulkheadImpl.classify(new IllegalStateException(batch),
                TrafficClass.CHECKOUT, DEFAULTS.checkout()).orElseThrow();
        assertEquals(Optional.of("lock"), refusal.timeout());
        assertEquals(503, refusal.problem().problem().status());
        assertEquals("Data busy", refusal.problem().problem().title());
        assertTrue(refusal.problem().problem().detail().contains("3 s a checkout request may wait"));
        assertEquals(Optional.of(Duration.ofSeconds(1)), refusal.problem().retryAfter());
    }

    @Test
    void aDatabaseThatCannotServeIsA503AndOtherFailuresAreNotRefusals() {
        TenantBulkheadImpl.Refusal lost = TenantBulkheadImpl.classify(new SQLException("connection lost", "08006"),
                TrafficClass.CART, DEFAULTS.cart()).orElseThrow();
        assertEquals(Optional.empty(), lost.timeout());
        assertEquals(503, lost.problem().problem().status());
        assertTrue(lost.problem().retryAfter().isPresent());
        assertTrue(TenantBulkheadImpl.classify(new SQLException("duplicate", "23505"), TrafficClass.CART, DEFAULTS.cart()).isEmpty());
        assertTrue(TenantBulkheadImpl.classify(new IllegalStateException("bug"), TrafficClass.CART, DEFAULTS.cart()).isEmpty());
    }

    @Test
    void refusalsOfTheLimiterAre503WithRetryAfter() {
        ProblemException tenant = TenantBulkheadImpl.refusedProblem(TrafficClass.CHECKOUT, Limiter.Outcome.TENANT_LIMIT);
        assertEquals(503, tenant.problem().status());
        assertEquals("Shop busy", tenant.problem().title());
        assertEquals(Optional.of(Duration.ofSeconds(1)), tenant.retryAfter());
        ProblemException busy = TenantBulkheadImpl.refusedProblem(TrafficClass.ADMIN, Limiter.Outcome.OVERLOADED);
        assertEquals(503, busy.problem().status());
        assertTrue(busy.problem().detail().contains("admin request"));
        assertTrue(busy.retryAfter().isPresent());
    }

    @Test
    void timeoutsAreWrittenForPeople() {
        assertEquals("10 s", TenantBulkheadImpl.seconds(Duration.ofSeconds(10)));
        assertEquals("500 ms", TenantBulkheadImpl.seconds(Duration.ofMillis(500)));
    }
}
