package gateway.internal.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The adaptive limit as the gateway builds it (Gradient2 over windows of at least 10 samples and a
 * second): it falls when the cell's latency rises under load, rises again when latency is back, and
 * stays within its bounds. The test drives the clock; nothing sleeps.
 */
class AdaptiveLimitTest {

    final AtomicLong now = new AtomicLong(5_000_000_000L);
    final CellLimiter cell = new CellLimiter(Admission.adaptiveLimit(10, 50, 100),
            new CellLimiter.Settings(10, 1.25, 2, 0.9, Duration.ofSeconds(15).toNanos()), now::get);

    int lowest = Integer.MAX_VALUE;
    int highest = 0;

    /** One second of traffic: as many requests as the cell admits (up to 60) in flight at once, each taking {@code latency}. */
    void second(Duration latency) {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Permit permit = cell.tryAcquire(UUID.nameUUIDFromBytes(new byte[] {(byte) i}), true);
            if (permit != null) {
                permits.add(permit);
            }
        }
        now.addAndGet(latency.toNanos());
        permits.forEach(p -> p.answered(200));
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        lowest = Math.min(lowest, cell.limit());
        highest = Math.max(highest, cell.limit());
    }

    @Test
    void theLimitFollowsTheLatencyWithinItsBounds() {
        assertEquals(50, cell.limit());
        for (int i = 0; i < 20; i++) {
            second(Duration.ofMillis(10));
        }
        int steady = cell.limit();
        assertTrue(steady >= 50 && steady <= 100, "steady latency lets the limit grow: " + steady);
        for (int i = 0; i < 20; i++) {
            second(Duration.ofMillis(200));
        }
        int loaded = cell.limit();
        assertTrue(loaded < steady / 2, "latency twenty times higher cuts the limit: " + steady + " -> " + loaded);
        // ever higher latency: every window sees a worse one than the long-term average
        for (long millis = 400; millis < 400_000; millis *= 2) {
            second(Duration.ofMillis(millis));
        }
        assertEquals(10, lowest, "down to the minimum, never below");
        int floor = cell.limit();
        for (int i = 0; i < 60; i++) {
            second(Duration.ofMillis(10));
        }
        assertTrue(cell.limit() > floor, "latency back to normal lets the limit grow again: " + floor + " -> " + cell.limit());
        for (int i = 0; i < 600; i++) {
            second(Duration.ofMillis(10));
        }
        assertEquals(100, highest, "up to the maximum, never above");
    }
}
