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
    final TenantPacer pacer = new TenantPacer(50, 5, 1_000_000, WINDOW, 3, 1.5, 1.2);

    /**
     * One window in 10 ms steps: the heavy shop starts as many requests as its pace allows, each taking
     * {@code ownLatency}, and the light shop {@code lightPerWindow} requests, one every 100 ms.
     */
    int window(long lightLatency, int lightPerWindow, long ownLatency) {
        int started = 0;
        int lights = 0;
        for (int step = 0; step < 100; step++) {
            while (pacer.allows(HEAVY, now)) {
                pacer.start(HEAVY, now);
                pacer.own(HEAVY, ownLatency, now);
                started++;
            }
            if (lights < lightPerWindow && step % 10 == 9) {
                assertTrue(pacer.allows(LIGHT, now));
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
            assertTrue(pacer.allows(HEAVY, now));
            assertEquals(i == 0, pacer.start(HEAVY, now), "only the first had no debt");
        }
        assertFalse(pacer.allows(HEAVY, now));
        now += 19 * MS;
        assertFalse(pacer.allows(HEAVY, now));
        now += MS;
        assertTrue(pacer.allows(HEAVY, now), "one interval at 50/s later");
        assertTrue(pacer.allows(LIGHT, now), "other shops are paced on their own");
    }

    @Test
    void aHeldShopGrowsWhileItsNeighboursAreCalmAndWhenNobodyLightIsThere() {
        window(3 * MS, 10); // the first window sets the usual latency
        assertEquals(60.0, pacer.rate(HEAVY, now), 0.01, "a calm window at the usual latency: by a fifth");
        window(3 * MS, 10);
        assertEquals(72.0, pacer.rate(HEAVY, now), 0.01);
        window(0, 0);
        assertEquals(72.0, pacer.rate(HEAVY, now), 0.01, "one window without light requests says nothing yet");
        window(0, 0);
        assertEquals(144.0, pacer.rate(HEAVY, now), 0.01, "two: nobody to protect, doubled");
        assertEquals(TenantPacer.Verdict.NOBODY, pacer.lastVerdict());
        assertEquals(1_000_000.0, pacer.rate(LIGHT, now), "nobody light around: a shop not seen lately starts without a limit");
    }

    @Test
    void aCongestedWindowCutsTheHeldShopInProportionToWhatItUsedAndNeverBelowTheMinimum() {
        window(3 * MS, 10);
        window(3 * MS, 10);
        double before = pacer.rate(HEAVY, now);
        int used = window(6 * MS, 10); // twice the usual: calm / ratio = 0.6
        assertTrue(used >= before * 0.9, "it used its pace: " + used + " of " + before);
        assertEquals(Math.min(before, used) * 0.6, pacer.rate(HEAVY, now), 0.01);
        for (int i = 0; i < 10; i++) {
            window(60 * MS, 10); // twenty times: a quarter each window
        }
        assertEquals(5.0, pacer.rate(HEAVY, now), 0.01, "the minimum rate");
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.lastVerdict());
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
        window(30 * MS, 1);
        assertTrue(pacer.rate(HEAVY, now) < before * 0.5);
        assertEquals(TenantPacer.Verdict.CONGESTED, pacer.lastVerdict(), "judged over the windows' light requests");
    }

    @Test
    void aHeldShopWhoseOwnRequestsSlowDownIsCutWhileItsNeighboursLookCalm() {
        window(3 * MS, 10, 5 * MS);
        window(3 * MS, 10, 5 * MS);
        double before = pacer.rate(HEAVY, now);
        window(3 * MS, 10, 8 * MS); // 1.6 times its usual: no growth
        assertEquals(before, pacer.rate(HEAVY, now), 0.01);
        window(3 * MS, 10, 15 * MS); // three times: cut to half
        assertEquals(TenantPacer.Verdict.CALM, pacer.lastVerdict(), "the light requests were calm");
        assertTrue(pacer.rate(HEAVY, now) < before * 0.6, "cut: " + pacer.rate(HEAVY, now));
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
            assertTrue(pacer.allows(HEAVY, now));
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
