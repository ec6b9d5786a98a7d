package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TenantPacerTest {

    static final UUID HEAVY = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
    static final UUID LIGHT = UUID.fromString("00000000-0000-0000-0000-0000000000b1");
    static final long MS = 1_000_000L;
    static final long WINDOW = 1_000 * MS;

    long now;
    // start at 50/s, never below 5, windows of 1 s, 3 light requests per window, congested at 1.5, calm below 1.2
    TenantPacer pacer = new TenantPacer(50, 5, 1_000_000, WINDOW, 3, 1.5, 1.2);

    /**
     * One window in 10 ms steps: the heavy shop starts as many requests as its pace allows, each taking
     * {@code ownLatency}, and the light shop {@code lightPerWindow} requests, one every 100 ms.
     */
    int window(long lightLatency, int lightPerWindow, long ownLatency) {
        int started = 0;
        int lights = 0;
        for (int step = 0; step < 100; step++) {
            while (pacer.allows(HEAVY, now, 0)) {
                pacer.start(HEAVY, now);
                pacer.own(HEAVY, ownLatency, now);
                started++;
            }
            if (lights < lightPerWindow && step % 10 == 9) {
                assertTrue(pacer.allows(LIGHT, now, 0));
                assertTrue(pacer.start(LIGHT, now), "a quiet shop has no debt");
                pacer.light(lightLatency, now, LIGHT);
                lights++;
            }
            now += 10 * MS;
        }
        return started;
    }

    int window(long lightLatency, int lightPerWindow) {
        return window(lightLatency, lightPerWindow, 5 * MS);
    }

    @Test
    void aNewShopStartsWithItsBurstThenAtTheStartingRate() {
        for (int i = 0; i < TenantPacer.MIN_BURST; i++) {
            assertTrue(pacer.allows(HEAVY, now, 0));
            assertEquals(i == 0, pacer.start(HEAVY, now), "only the first had no debt");
        }
        assertFalse(pacer.allows(HEAVY, now, 0));
        now += 19 * MS;
        assertFalse(pacer.allows(HEAVY, now, 0));
        now += MS;
        assertTrue(pacer.allows(HEAVY, now, 0), "one interval at 50/s later");
        assertTrue(pacer.allows(LIGHT, now, 0), "other shops are paced on their own");
    }

    @Test
    void aHeldShopGrowsWhileItsNeighboursAreCalmAndWhenNobodyLightIsThere() {
        window(3 * MS, 10); // the first window sets the usual latency
        assertEquals(100.0, pacer.rate(HEAVY, now), 0.01, "a calm window, never cut yet (no known limit): doubled");
        window(3 * MS, 10);
        assertEquals(200.0, pacer.rate(HEAVY, now), 0.01);
        window(0, 0);
        assertEquals(200.0, pacer.rate(HEAVY, now), 0.01, "one window without light requests says nothing yet");
        window(0, 0);
        assertEquals(400.0, pacer.rate(HEAVY, now), 0.01, "two: nobody to protect, doubled");
        assertEquals(TenantPacer.Verdict.NOBODY, pacer.lastVerdict());
        assertEquals(1_000_000.0, pacer.rate(LIGHT, now), "nobody light around: a shop not seen lately starts without a limit");
    }

    @Test
    void oneCongestedWindowSlowsTheHeldShopALittleAndTheSecondInARowCutsItInProportion() {
        window(3 * MS, 10);
        window(3 * MS, 10);
        double before = pacer.rate(HEAVY, now);
        int used = window(8 * MS, 10); // two times the usual (taken as at least 4 ms: 2 ms slack at 1.5)
        assertTrue(used >= before * 0.9, "it used its pace: " + used + " of " + before);
        double first = Math.min(before, used) * TenantPacer.FIRST_CUT_MIN;
        assertEquals(first, pacer.rate(HEAVY, now), 0.01, "one window may be a pause of the cell: at most three tenths");
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.lastVerdict());
        used = window(8 * MS, 10);
        assertEquals(Math.min(first, used) * 0.6, pacer.rate(HEAVY, now), 0.01, "two in a row: calm / ratio = 1.2 / 2");
        for (int i = 0; i < 40; i++) {
            window(60 * MS, 10); // fifteen times: half every other window
        }
        assertEquals(5.0, pacer.rate(HEAVY, now), 0.01, "the minimum rate");
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.lastVerdict());
    }

    @Test
    void aFewMillisecondsAboveAVeryLowUsualAreNotCongestion() {
        window(1 * MS, 10);
        window(1 * MS, 10);
        double before = pacer.rate(HEAVY, now);
        window(2_500_000L, 10); // 2.5 times the usual, but within the slack
        assertTrue(pacer.rate(HEAVY, now) >= before, "not cut: " + pacer.rate(HEAVY, now));
        assertEquals(TenantPacer.Verdict.CALM, pacer.lastVerdict(), "2.5 ms against a floor of 4 ms: 0.63");
    }

    @Test
    void afterACutTheRateComesBackFastToNearItThenSlowlyAndStaysAtItUntilItHasBeenCalmLong() {
        window(3 * MS, 10);
        for (int i = 0; i < 6; i++) {
            window(3 * MS, 10);
        }
        window(12 * MS, 10);
        window(12 * MS, 10); // two congested windows: cut, and remembered as the ceiling
        double cut = pacer.rate(HEAVY, now);
        double ceiling = cut * 2; // 1.2 / 3 is below a half: cut to half of the rate it used at the second window
        window(3 * MS, 10);
        assertEquals(cut * TenantPacer.GROWTH_FAR, pacer.rate(HEAVY, now), 0.5, "far below it: fast");
        double rate = pacer.rate(HEAVY, now);
        while (rate < ceiling * TenantPacer.NEAR) {
            window(3 * MS, 10);
            rate = pacer.rate(HEAVY, now);
        }
        window(3 * MS, 10);
        double near = pacer.rate(HEAVY, now);
        assertTrue(near <= rate * TenantPacer.GROWTH_NEAR + 0.01, "near it: slowly, " + rate + " -> " + near);
        double previous;
        do { // up to the ceiling, then one calm window there
            previous = pacer.rate(HEAVY, now);
            window(3 * MS, 10);
        } while (pacer.rate(HEAVY, now) != previous);
        assertEquals(ceiling, pacer.rate(HEAVY, now), ceiling * 0.03, "held at the rate that congested the cell");
        double at = pacer.rate(HEAVY, now);
        for (int i = 0; i < TenantPacer.PROBE_WINDOWS - 2; i++) {
            window(3 * MS, 10);
            assertEquals(at, pacer.rate(HEAVY, now), 0.01, "still held there");
        }
        window(3 * MS, 10);
        assertTrue(pacer.rate(HEAVY, now) >= at * TenantPacer.GROWTH_FAR - 0.5, "calm there long enough: forgotten, fast again");
    }

    @Test
    void fewLightRequestsAreJudgedTogetherWithTheNextWindowsOnes() {
        window(3 * MS, 10);
        double before = pacer.rate(HEAVY, now);
        for (int i = 1; i < 3; i++) { // three light requests are needed
            window(30 * MS, 1);
            assertEquals(before, pacer.rate(HEAVY, now), 0.01, "one light request is too few to judge");
            assertEquals(TenantPacer.Verdict.STEADY, pacer.lastVerdict());
        }
        int used = window(30 * MS, 1);
        assertEquals(Math.min(before, used) * TenantPacer.FIRST_CUT_MIN, pacer.rate(HEAVY, now), 0.01);
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.lastVerdict(), "judged over the windows' light requests");
    }

    @Test
    void aFewCalmLightRequestsLetAHeldShopGrowWhileItsOwnLatencyIsCalmToo() {
        window(3 * MS, 10);
        double before = pacer.rate(HEAVY, now);
        window(3 * MS, 1); // one light request at the usual latency: too few to judge, calm so far
        assertEquals(before * TenantPacer.GROWTH_START, pacer.rate(HEAVY, now), 0.01, "its own latency is calm: it grows");
        assertEquals(TenantPacer.Verdict.STEADY, pacer.lastVerdict(), "not judged yet");
        double grown = pacer.rate(HEAVY, now);
        window(3 * MS, 1, 15 * MS); // its own requests take three times their usual: no growth on a few light requests
        assertTrue(pacer.rate(HEAVY, now) <= grown, "not grown: " + pacer.rate(HEAVY, now));
    }

    @Test
    void aShopKeepingLittleInFlightIsNotSlowedForTheGatewaysLoopLag() {
        long[] lag = {20 * MS}; // four times the limit
        pacer = new TenantPacer(20, 5, 1_000_000, WINDOW, 3, 1.5, 1.2, 5 * MS, () -> lag[0]);
        window(3 * MS, 10, 2 * MS); // about 30/s of 2 ms: 0.06 of a request in flight, it cannot be the cause
        assertEquals(20.0, pacer.rate(HEAVY, now), 0.01, "not slowed (nor grown while the loops are late)");
        lag[0] = 0;
        window(3 * MS, 10, 2 * MS);
        window(3 * MS, 10, 2 * MS);
        double grown = pacer.rate(HEAVY, now);
        assertEquals(80.0, grown, 0.01, "calm: doubled twice");
        lag[0] = 20 * MS;
        window(3 * MS, 10, 2 * MS); // about 80/s of 2 ms: 0.16 in flight
        assertTrue(pacer.rate(HEAVY, now) <= grown * TenantPacer.FIRST_CUT + 0.01, "slowed: " + pacer.rate(HEAVY, now));
    }

    @Test
    void aHeldShopWhoseOwnRequestsSlowDownIsCutWhileItsNeighboursLookCalm() {
        window(3 * MS, 10, 5 * MS);
        window(3 * MS, 10, 5 * MS);
        double before = pacer.rate(HEAVY, now);
        window(3 * MS, 10, 8 * MS); // 1.6 times its usual: no growth
        assertEquals(before, pacer.rate(HEAVY, now), 0.01);
        window(3 * MS, 10, 15 * MS); // three times: a little the first window
        assertEquals(TenantPacer.Verdict.CALM, pacer.lastVerdict(), "the light requests were calm");
        assertTrue(pacer.rate(HEAVY, now) <= before * TenantPacer.FIRST_CUT + 0.01, "slowed: " + pacer.rate(HEAVY, now));
        double first = pacer.rate(HEAVY, now);
        window(3 * MS, 10, 15 * MS); // and again: cut in proportion (its usual creeps up by a fiftieth a window)
        assertTrue(pacer.rate(HEAVY, now) <= first * 0.55, "cut: " + pacer.rate(HEAVY, now));
    }

    @Test
    void aHeldShopKeepsAtTheCellNoMoreInFlightThanItsPaceNeedsWhileOthersAreNotCapped() {
        window(3 * MS, 10, 5 * MS); // held, its own requests take 5 ms: at 65/s it needs 0.33 in flight
        now += 200 * MS; // its pace has room again
        assertTrue(pacer.allows(HEAVY, now, 0));
        assertFalse(pacer.allows(HEAVY, now, 1), "one in flight is what its pace needs: the next waits at the gateway");
        assertTrue(pacer.allows(LIGHT, now, 5), "a shop never held back by its pace is not capped");
        for (int i = 0; i < 4; i++) { // the heavy shop now starts only one request at a time (never held by its pace)
            now += WINDOW;
            assertTrue(pacer.allows(HEAVY, now, 0));
            pacer.start(HEAVY, now);
        }
        assertTrue(pacer.allows(HEAVY, now, 3), "not held for a whole window: no longer capped");
    }

    @Test
    void theGatewaysOwnLoopLagSlowsTheHeldShopsWhateverTheCellFeels() {
        long[] lag = {-1};
        TenantPacer lagged = new TenantPacer(50, 5, 1_000_000, WINDOW, 3, 1.5, 1.2, 4 * MS, () -> lag[0]);
        long t = 0;
        for (int w = 0; w < 8; w++) {
            lag[0] = w < 2 ? 1 * MS : w < 4 ? 3 * MS : w < 6 ? 8 * MS : 100 * MS;
            boolean alone = w >= 6;
            double before = lagged.rate(HEAVY, t);
            for (int step = 0; step < 100; step++, t += 10 * MS) {
                while (lagged.allows(HEAVY, t, 0)) {
                    lagged.start(HEAVY, t);
                }
                if (step % 10 == 9 && !alone) { // a calm light neighbour
                    lagged.start(LIGHT, t);
                    lagged.light(3 * MS, t, LIGHT);
                }
            }
            double after = lagged.rate(HEAVY, t);
            switch (w) {
                case 0, 1 -> assertTrue(after > before, "neighbours calm, loops on time: grows, " + before + " -> " + after);
                case 2, 3 -> assertEquals(before, after, 0.01, "loops at three quarters of the limit: no growth");
                case 4 -> assertEquals(before * TenantPacer.FIRST_CUT_MIN, after, before * 0.02, "at twice the limit, once: three tenths");
                case 5 -> assertEquals(before * 0.5, after, before * 0.02, "twice in a row: limit / lag, at least half");
                case 6 -> assertEquals(before * TenantPacer.FIRST_CUT_MIN, after, before * 0.02,
                        "one window without light requests: the neighbours may still be there");
                default -> assertTrue(after > before, "nobody light to protect: the lag does not hold it back, " + before + " -> " + after);
            }
        }
    }

    @Test
    void aSteadyWindowKeepsTheRateAndTheUsualLatencyRisesWhenCongestionLasts() {
        window(10 * MS, 10);
        double rate = pacer.rate(HEAVY, now);
        window(13 * MS, 10); // 1.3: neither calm nor congested
        assertEquals(rate, pacer.rate(HEAVY, now), 0.01);
        assertEquals(TenantPacer.Verdict.STEADY, pacer.lastVerdict());
        long usual = pacer.usual();
        for (int i = 0; i <= TenantPacer.STALE_WINDOWS + 5; i++) {
            window(100 * MS, 10);
        }
        assertTrue(pacer.usual() > usual * 1.5, "a lasting change of the light requests' own cost is learnt: " + pacer.usual());
    }

    @Test
    void aShopThatSlowsDownKeepsTwiceWhatItUsedAndAnIdleShopIsForgotten() {
        for (int i = 0; i < 20; i++) {
            window(0, 0);
        }
        assertTrue(pacer.rate(HEAVY, now) > 1_000, "alone, it grew: " + pacer.rate(HEAVY, now));
        // one window at 100 requests, never held
        for (int i = 0; i < 100; i++) {
            assertTrue(pacer.allows(HEAVY, now, 0));
            pacer.start(HEAVY, now);
            now += 10 * MS;
        }
        assertEquals(200.0, pacer.rate(HEAVY, now), 0.01, "twice what it used");
        now += 2 * WINDOW;
        assertEquals(1_000_000.0, pacer.rate(HEAVY, now), "nobody light around: a shop starts without a limit");
        assertEquals(0, pacer.size(), "forgotten");
    }

    @Test
    void aShopWhoseOnlyLightRequestsAreItsOwnIsNotHeldBackByThem() {
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < 5; i++) {
                pacer.light((w == 0 ? 3 : 30) * MS, now, HEAVY); // its own requests, slower and slower
            }
            window(0, 0);
        }
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.rate(HEAVY, now) > 0 ? pacer.lastVerdict() : null);
        assertTrue(pacer.rate(HEAVY, now) > 50, "nobody else to protect: it grows: " + pacer.rate(HEAVY, now));
    }
}
