package platform.internal.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The time an unknown account's sign-in takes: learnt from real checks, with a calibration hash at
 * most once a minute (a fake clock), never a hash per request.
 */
class CheckTimeTest {

    final AtomicInteger calibrations = new AtomicInteger();
    final List<Long> waits = new ArrayList<>();
    long now = 0;
    final CheckTime time = new CheckTime(() -> calibrations.incrementAndGet() == 1 ? 400_000_000L : 40_000_000L,
            waits::add, () -> now);

    @Test
    void withoutRealChecksItCalibratesOnceAMinuteAndOtherwiseOnlyWaits() {
        for (int i = 0; i < 100; i++) {
            time.pretend();
            now += Duration.ofMillis(100).toNanos();
        }
        assertEquals(2, calibrations.get(), "a cold and a warm hash at first, then none for a minute");
        assertEquals(100, waits.size(), "everyone else waits");
        assertEquals(40_000_000L, waits.get(99), "the cold first run does not count");
        now += Duration.ofMinutes(1).toNanos();
        for (int i = 0; i < 100; i++) {
            time.pretend();
        }
        assertEquals(3, calibrations.get(), "one hash for the next minute");
        assertEquals(199, waits.size(), "the request that computed it did not wait as well");
    }

    @Test
    void realChecksSpareTheCalibrationAndOutliersDoNotMoveTheEstimate() {
        time.observed(80_000_000L);
        time.pretend();
        assertEquals(0, calibrations.get());
        assertEquals(80_000_000L, waits.get(0));
        for (int i = 0; i < 10; i++) {
            time.observed(50_000_000L);
        }
        time.observed(2_000_000_000L); // a pause
        assertEquals(50_000_000L, time.estimate());
        for (int i = 0; i < CheckTime.SAMPLES; i++) {
            now += Duration.ofSeconds(30).toNanos();
            time.observed(30_000_000L);
            time.pretend();
        }
        assertEquals(30_000_000L, time.estimate(), "only the recent checks count");
        assertEquals(0, calibrations.get(), "real checks keep the estimate fresh");
    }
}
