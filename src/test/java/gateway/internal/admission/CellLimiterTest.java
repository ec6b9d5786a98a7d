package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.SettableLimit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import tenancy.CellSaturation;

/** One cell's admission: fair shares at the limit, bounded state, saturation caps; time is the test's. */
class CellLimiterTest {

    static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final UUID C = UUID.fromString("00000000-0000-0000-0000-00000000000c");
    static final UUID D = UUID.fromString("00000000-0000-0000-0000-00000000000d");
    static final Duration REPORT_LIFETIME = Duration.ofSeconds(15);

    final AtomicLong now = new AtomicLong(1_000_000_000L);

    CellLimiter limiter(Limit limit, int minLimit) {
        return new CellLimiter(limit, new CellLimiter.Settings(minLimit, 1.25, 2, 0.9, REPORT_LIFETIME.toNanos()), now::get);
    }

    static List<Permit> take(CellLimiter limiter, UUID tenant, int n) {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Permit permit = limiter.tryAcquire(tenant);
            assertNotNull(permit, "request " + (i + 1) + " of " + tenant);
            permits.add(permit);
        }
        return permits;
    }

    static CellSaturation calm() {
        return new CellSaturation(3, 200, 2, 0, 0.30);
    }

    @Test
    void belowTheLimitEveryRequestIsAdmittedWhateverItsTenant() {
        CellLimiter cell = limiter(SettableLimit.startingAt(4), 1);
        take(cell, A, 4);
        assertEquals(4, cell.inflight());
        assertEquals(4, cell.inflight(A));
    }

    @Test
    void atTheLimitAFloodingTenantIsShedAndAQuietOneStillGetsIn() {
        CellLimiter cell = limiter(SettableLimit.startingAt(4), 1);
        take(cell, A, 4);
        // alone, A's share is the whole limit, which it holds: shed
        assertNull(cell.tryAcquire(A));
        // B has nothing in flight: within its share (4 / 2 tenants), admitted over the limit
        Permit b = cell.tryAcquire(B);
        assertNotNull(b);
        assertEquals(5, cell.inflight());
        // A is still shed; B's second request would pass the hard cap (4 x 1.25 = 5): shed too
        assertNull(cell.tryAcquire(A));
        assertNull(cell.tryAcquire(B));
        // B's request ends: B gets in again, A does not
        b.answered(200);
        assertNull(cell.tryAcquire(A));
        assertNotNull(cell.tryAcquire(B));
    }

    @Test
    void theFairShareIsTheLimitDividedByTheTenantsInFlight() {
        CellLimiter cell = limiter(SettableLimit.startingAt(10), 1);
        take(cell, A, 6);
        take(cell, B, 4);
        // at the limit, two tenants: a share of 5 each; A holds 6 (over), B 4 (under)
        assertNull(cell.tryAcquire(A));
        assertNotNull(cell.tryAcquire(B));
        // B now holds 5, its whole share
        assertNull(cell.tryAcquire(B));
        // a third tenant: shares of max(2, 10 / 3) = 3; C holds nothing
        assertNotNull(cell.tryAcquire(C));
    }

    @Test
    void quietTenantsGoOverTheLimitOnlyUpToTheHardCap() {
        CellLimiter cell = limiter(SettableLimit.startingAt(8), 1);
        take(cell, A, 8);
        assertEquals(10, cell.hardCap(8));
        assertNotNull(cell.tryAcquire(B));
        assertNotNull(cell.tryAcquire(C));
        // a quiet tenant beyond the hard cap is shed too: the overshoot is bounded
        assertNull(cell.tryAcquire(D));
        assertEquals(10, cell.inflight());
    }

    @Test
    void theShareIsNeverBelowTheMinimum() {
        CellLimiter cell = limiter(SettableLimit.startingAt(4), 1);
        take(cell, A, 2);
        take(cell, B, 2);
        // 4 / 3 tenants is 1, the minimum share is 2: C may have up to 2, the hard cap is 5
        assertNotNull(cell.tryAcquire(C));
        assertNull(cell.tryAcquire(C));
    }

    @Test
    void withoutOvershootEveryoneIsShedAtTheLimit() {
        CellLimiter cell = new CellLimiter(SettableLimit.startingAt(3), new CellLimiter.Settings(1, 1.0, 1, 0.9, 1), now::get);
        take(cell, A, 3);
        assertNull(cell.tryAcquire(B));
    }

    @Test
    void tenantsWithNothingInFlightHoldNoState() {
        CellLimiter cell = limiter(SettableLimit.startingAt(4), 1);
        List<Permit> permits = new ArrayList<>(take(cell, A, 2));
        permits.addAll(take(cell, B, 1));
        assertEquals(2, cell.activeTenants());
        permits.get(0).answered(200);
        permits.get(1).failed(false);
        permits.get(2).failed(true);
        assertEquals(0, cell.activeTenants());
        assertEquals(0, cell.inflight());
        // a permit ends once: more calls change nothing
        permits.get(0).answered(200);
        permits.get(2).failed(true);
        assertEquals(0, cell.inflight());
        assertEquals(0, cell.inflight(A));
    }

    @Test
    void endedRequestsGiveTheLimitTheirLatencyExceptFailuresThatAreNotTimeouts() {
        List<long[]> samples = new ArrayList<>();
        Limit recording = new SettableLimit(10) {
            @Override
            protected int _update(long startTime, long rtt, int inflight, boolean didDrop) {
                samples.add(new long[] {startTime, rtt, inflight, didDrop ? 1 : 0});
                return getLimit();
            }
        };
        CellLimiter cell = limiter(recording, 1);
        Permit first = cell.tryAcquire(A);
        Permit second = cell.tryAcquire(B);
        now.addAndGet(Duration.ofMillis(40).toNanos());
        first.answered(200);
        second.answered(503);
        Permit refused = cell.tryAcquire(C);
        refused.failed(false);
        Permit timedOut = cell.tryAcquire(C);
        now.addAndGet(Duration.ofMillis(10).toNanos());
        timedOut.failed(true);
        assertEquals(3, samples.size());
        assertEquals(Duration.ofMillis(40).toNanos(), samples.get(0)[1]);
        assertEquals(1, samples.get(0)[2], "in flight when the request started");
        assertEquals(0, samples.get(0)[3]);
        assertEquals(2, samples.get(1)[2]);
        assertEquals(1, samples.get(1)[3], "a 503 of the cell is a drop");
        assertEquals(Duration.ofMillis(10).toNanos(), samples.get(2)[1]);
        assertEquals(1, samples.get(2)[3], "a timeout is a drop");
    }

    @Test
    void saturationReportsCutTheLimitAndCalmReportsRaiseItBack() {
        CellLimiter cell = limiter(SettableLimit.startingAt(100), 20);
        cell.report(new CellSaturation(10, 200, 20, 3, 0.5)); // threads wait for a connection
        assertEquals(75, cell.limit());
        cell.report(new CellSaturation(200, 200, 5, 0, 0.5)); // every worker busy
        assertEquals(56, cell.limit());
        cell.report(new CellSaturation(10, 200, 5, 0, 0.95)); // CPU
        assertEquals(42, cell.limit());
        cell.report(calm());
        assertEquals(63, cell.limit());
        cell.report(calm());
        assertEquals(94, cell.limit());
        cell.report(calm()); // 141 is above the adaptive limit: the cap is lifted
        assertEquals(100, cell.limit());
        assertNull(cell.snapshot().cap());
    }

    @Test
    void aCapNeverGoesBelowTheMinimumAndLapsesWhenReportsStop() {
        CellLimiter cell = limiter(SettableLimit.startingAt(100), 20);
        for (int i = 0; i < 20; i++) {
            cell.report(new CellSaturation(1, 200, 20, 1, -1));
        }
        assertEquals(20, cell.limit());
        now.addAndGet(REPORT_LIFETIME.toNanos() - 1);
        assertEquals(20, cell.limit());
        now.addAndGet(1);
        assertEquals(100, cell.limit(), "no report for the report's lifetime: the cap lapses");
    }

    @Test
    void aCappedLimitShedsLikeAnyOther() {
        CellLimiter cell = limiter(SettableLimit.startingAt(8), 2);
        cell.report(new CellSaturation(1, 200, 20, 1, 0.2)); // 8 x 0.75 = 6
        assertEquals(6, cell.limit());
        take(cell, A, 6);
        assertNull(cell.tryAcquire(A));
        assertNotNull(cell.tryAcquire(B));
    }

    @Test
    void whatIsNotSaturation() {
        CellLimiter cell = limiter(SettableLimit.startingAt(100), 20);
        cell.report(null); // a cell of an earlier version
        cell.report(new CellSaturation(50, 0, 20, 0, -1)); // pool size unknown, CPU unknown
        cell.report(new CellSaturation(199, 200, 20, 0, 0.89));
        assertEquals(100, cell.limit());
        assertTrue(cell.saturated(new CellSaturation(0, 0, 0, 0, 0.9)));
    }
}
