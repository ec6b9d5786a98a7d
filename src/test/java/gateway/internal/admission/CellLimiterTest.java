package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
            Permit permit = limiter.tryAcquire(tenant, true);
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
        assertNull(cell.tryAcquire(A, true));
        // B has nothing in flight: within its share (4 / 2 tenants), admitted over the limit
        Permit b = cell.tryAcquire(B, true);
        assertNotNull(b);
        assertEquals(5, cell.inflight());
        // A is still shed; B's second request would pass the hard cap (4 x 1.25 = 5): shed too
        assertNull(cell.tryAcquire(A, true));
        assertNull(cell.tryAcquire(B, true));
        // B's request ends: B gets in again, A does not
        b.answered(200);
        assertNull(cell.tryAcquire(A, true));
        assertNotNull(cell.tryAcquire(B, true));
    }

    @Test
    void theFairShareIsTheLimitDividedByTheTenantsInFlight() {
        CellLimiter cell = limiter(SettableLimit.startingAt(10), 1);
        take(cell, A, 6);
        take(cell, B, 4);
        // at the limit, two tenants: a share of 5 each; A holds 6 (over), B 4 (under)
        assertNull(cell.tryAcquire(A, true));
        assertNotNull(cell.tryAcquire(B, true));
        // B now holds 5, its whole share
        assertNull(cell.tryAcquire(B, true));
        // a third tenant: shares of max(2, 10 / 3) = 3; C holds nothing
        assertNotNull(cell.tryAcquire(C, true));
    }

    @Test
    void quietTenantsGoOverTheLimitOnlyUpToTheHardCap() {
        CellLimiter cell = limiter(SettableLimit.startingAt(8), 1);
        take(cell, A, 8);
        assertEquals(10, cell.hardCap(8));
        assertNotNull(cell.tryAcquire(B, true));
        assertNotNull(cell.tryAcquire(C, true));
        // a quiet tenant beyond the hard cap is shed too: the overshoot is bounded
        assertNull(cell.tryAcquire(D, true));
        assertEquals(10, cell.inflight());
    }

    @Test
    void theShareIsNeverBelowTheMinimum() {
        CellLimiter cell = limiter(SettableLimit.startingAt(4), 1);
        take(cell, A, 2);
        take(cell, B, 2);
        // 4 / 3 tenants is 1, the minimum share is 2: C may have up to 2, the hard cap is 5
        assertNotNull(cell.tryAcquire(C, true));
        assertNull(cell.tryAcquire(C, true));
    }

    @Test
    void withoutOvershootEveryoneIsShedAtTheLimit() {
        CellLimiter cell = new CellLimiter(SettableLimit.startingAt(3), new CellLimiter.Settings(1, 1.0, 1, 0.9, 1), now::get);
        take(cell, A, 3);
        assertNull(cell.tryAcquire(B, true));
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
        Permit first = cell.tryAcquire(A, true);
        Permit second = cell.tryAcquire(B, true);
        now.addAndGet(Duration.ofMillis(40).toNanos());
        first.answered(200);
        second.answered(503);
        Permit refused = cell.tryAcquire(C, true);
        refused.failed(false);
        Permit timedOut = cell.tryAcquire(C, true);
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
        assertNull(cell.tryAcquire(A, true));
        assertNotNull(cell.tryAcquire(B, true));
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

    CellLimiter queued(int limit, double overshoot, int maxWaiting, int perTenant) {
        return new CellLimiter(SettableLimit.startingAt(limit),
                new CellLimiter.Settings(1, overshoot, 1, 0.9, REPORT_LIFETIME.toNanos(), maxWaiting, perTenant), now::get);
    }

    @Test
    void aRequestThatIsNotAdmittedWaitsForTheNextPlaceBelowTheLimit() {
        CellLimiter cell = queued(2, 1.0, 10, 10);
        List<Permit> held = take(cell, A, 2);
        assertNull(cell.tryAcquire(A, true));
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        assertEquals(1, cell.waiting());
        assertTrue(granted.isEmpty(), "no place is free yet");
        held.get(0).answered(200);
        assertEquals(1, granted.size(), "the place that came free went to the waiting request");
        assertEquals(0, cell.waiting());
        assertEquals(2, cell.inflight());
        assertEquals(2, cell.inflight(A));
    }

    @Test
    void waitingTenantsTakeTurnsWhateverTheirQueuesHold() {
        CellLimiter cell = queued(1, 1.0, 10, 10);
        Permit held = cell.tryAcquire(C, true);
        List<UUID> order = new ArrayList<>();
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            assertNotNull(cell.await(A, true, p -> { order.add(A); permits.add(p); }));
        }
        assertNotNull(cell.await(B, true, p -> { order.add(B); permits.add(p); }));
        held.answered(200);
        for (int i = 0; i < 3; i++) {
            permits.get(permits.size() - 1).answered(200);
        }
        assertEquals(List.of(A, B, A, A), order, "B's one request does not wait behind all of A's");
    }

    @Test
    void aFullQueueShedsPerTenantAndInAll() {
        CellLimiter cell = queued(1, 1.0, 2, 1);
        take(cell, A, 1);
        assertNotNull(cell.await(A, true, p -> { }));
        assertNull(cell.await(A, true, p -> { }), "A's one place in the queue is taken");
        assertNotNull(cell.await(B, true, p -> { }));
        assertNull(cell.await(C, true, p -> { }), "two wait in all");
        assertEquals(2, cell.waiting());
    }

    @Test
    void withoutQueueSettingsNobodyWaits() {
        CellLimiter cell = limiter(SettableLimit.startingAt(1), 1);
        take(cell, A, 2); // the limit, then the overshoot of A's share
        assertNull(cell.tryAcquire(A, true));
        assertNull(cell.await(A, true, p -> { }));
    }

    @Test
    void aWaitGivenUpIsShedAndAGrantedOneCannotBeGivenUp() {
        CellLimiter cell = queued(1, 1.0, 10, 10);
        Permit held = cell.tryAcquire(A, true);
        List<Permit> granted = new ArrayList<>();
        CellLimiter.Waiter first = cell.await(A, true, granted::add);
        CellLimiter.Waiter second = cell.await(B, true, granted::add);
        assertTrue(cell.cancel(first));
        assertFalse(cell.cancel(first), "given up once");
        assertEquals(1, cell.waiting());
        held.answered(200);
        assertEquals(1, granted.size());
        assertEquals(1, cell.inflight(B), "the place went to the wait that was not given up");
        assertFalse(cell.cancel(second), "granted: the caller keeps its permit");
        assertEquals(0, cell.waiting());
    }

    @Test
    void placesOverTheLimitStayForTenantsWithinTheirShare() {
        CellLimiter cell = queued(2, 1.5, 10, 10);
        take(cell, A, 2);
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        // B has nothing in flight: admitted over the limit, up to the hard cap of 3
        Permit quiet = cell.tryAcquire(B, true);
        assertNotNull(quiet);
        assertEquals(3, cell.inflight());
        // B's request ends: back at the limit, no place below it is free, A still waits
        quiet.answered(200);
        assertTrue(granted.isEmpty());
        assertEquals(1, cell.waiting());
    }

    @Test
    void aWaitIsGrantedAtOnceWhenAPlaceCameFreeMeanwhile() {
        CellLimiter cell = queued(1, 1.0, 10, 10);
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        assertEquals(1, granted.size());
        assertEquals(0, cell.waiting());
        assertEquals(1, cell.inflight());
    }

    @Test
    void aCapThatIsLiftedLetsWaitingRequestsIn() {
        CellLimiter cell = queued(4, 1.0, 10, 10);
        cell.report(new CellSaturation(1, 200, 1, 3, 0.2)); // saturated: the cap is 3 of 4
        assertEquals(3, cell.limit());
        take(cell, A, 3);
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        assertTrue(granted.isEmpty());
        cell.report(calm()); // the cap rises above the adaptive limit and is lifted
        assertEquals(4, cell.limit());
        assertEquals(1, granted.size());
    }

    @Test
    void aShopBeyondItsPaceWaitsUntilItsTimeComesWhileALightShopGetsInAtOnce() {
        // a shop starts at 50 requests/s with its burst
        CellLimiter cell = pacedCell();
        for (int i = 0; i < TenantPacer.MIN_BURST; i++) {
            cell.tryAcquire(A, true).answered(200);
        }
        assertNull(cell.tryAcquire(A, true), "A has sent its burst");
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        assertNotNull(cell.tryAcquire(B, true), "another shop gets in at once");
        cell.tick();
        assertTrue(granted.isEmpty(), "A's time has not come");
        now.addAndGet(20_000_000L); // one interval at 50/s
        cell.tick();
        assertEquals(1, granted.size(), "A's waiting request starts once its pace allows it");
        assertEquals(50.0, cell.rate(A));
        assertNull(cell.tryAcquire(A, true));
        assertNotNull(cell.tryAcquire(A, false), "a write (a checkout) is never held back by its shop's pace");
    }

    @Test
    void aShopHeldByItsPaceHasNoMoreInFlightAtTheCellThanItsPaceNeeds() {
        CellLimiter cell = pacedCell();
        for (int i = 0; i < TenantPacer.MIN_BURST; i++) {
            cell.tryAcquire(A, true).answered(200);
        }
        assertNull(cell.tryAcquire(A, true), "A has sent its burst: held by its pace");
        now.addAndGet(20_000_000L);
        Permit slow = cell.tryAcquire(A, true);
        assertNotNull(slow, "its pace lets one more start");
        now.addAndGet(20_000_000L);
        assertNull(cell.tryAcquire(A, true), "its pace would let the next start, but 50/s needs one in flight, not two");
        List<Permit> granted = new ArrayList<>();
        assertNotNull(cell.await(A, true, granted::add));
        assertNotNull(cell.tryAcquire(B, true), "another shop is not held back");
        slow.answered(200);
        assertEquals(1, granted.size(), "the waiting request starts when the one in flight ends");
    }

    @Test
    void whenTheLightShopsSlowDownTheHeldShopsPaceFallsAndTheLightShopKeepsGettingIn() {
        CellLimiter cell = pacedCell();
        // two windows: B's light requests at 3 ms, A sends as fast as its pace lets it
        for (int w = 0; w < 2; w++) {
            lightAndHeavy(cell, 3_000_000L);
        }
        double before = cell.rate(A);
        assertTrue(before > 50, "A held by its pace while the neighbours were calm grows: " + before);
        // then B's requests take ten times as long: one window may be a pause of the cell, two in a row are a queue
        lightAndHeavy(cell, 30_000_000L);
        double first = cell.rate(A);
        assertTrue(first < before, "the pace fell a little: " + before + " -> " + first);
        lightAndHeavy(cell, 30_000_000L);
        double after = cell.rate(A);
        assertTrue(after <= first * 0.5 + 0.01, "then by half: " + first + " -> " + after);
        assertEquals(50.0, cell.rate(B), "B was never held");
        assertNotNull(cell.tryAcquire(B, true));
    }

    /** A cell whose limit (100) is never reached, that lets requests wait and paces shops: start at 50/s, at least 5/s. */
    private CellLimiter pacedCell() {
        return new CellLimiter(SettableLimit.startingAt(100),
                new CellLimiter.Settings(1, 1.25, 2, 0.9, REPORT_LIFETIME.toNanos(), 100, 100, 1.5, 50, 5), now::get);
    }

    /** One window of 100 ms steps: B sends one light request per step, A as many as its pace allows. */
    private void lightAndHeavy(CellLimiter cell, long lightLatency) {
        for (int step = 0; step < 10; step++) {
            Permit b = cell.tryAcquire(B, true);
            assertNotNull(b);
            Permit a;
            while ((a = cell.tryAcquire(A, true)) != null) {
                a.answered(200);
            }
            now.addAndGet(lightLatency);
            b.answered(200);
            now.addAndGet(100_000_000L - lightLatency);
        }
    }
}
