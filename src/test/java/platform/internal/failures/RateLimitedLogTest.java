package platform.internal.failures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first line of a burst is written, then at most one per kind and interval, with what was held back. */
class RateLimitedLogTest {

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        Instant now = Instant.parse("2026-12-05T10:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final FakeClock clock = new FakeClock();
    final List<String> lines = new ArrayList<>();
    final RateLimitedLog log = new RateLimitedLog(clock, Duration.ofSeconds(30), lines::add);

    @Test
    void theFirstLineOfABurstIsWrittenAndTheRestHeldBackUntilTheIntervalIsOver() {
        assertTrue(log.write("cache", () -> "cache failed 1"));
        for (int i = 2; i <= 100; i++) {
            clock.advance(Duration.ofMillis(100));
            assertFalse(log.write("cache", () -> "cache failed"));
        }
        assertEquals(List.of("cache failed 1"), lines);

        clock.advance(Duration.ofMillis(20_100)); // 30 s after the first line
        assertTrue(log.write("cache", () -> "cache failed 101"));
        assertEquals(List.of("cache failed 1", "cache failed 101 (99 more since 2026-12-05T10:00:00Z not logged)"), lines);
    }

    @Test
    void aLineAfterAQuietIntervalIsWrittenWithoutACountWhenNothingWasHeldBack() {
        log.write("cache", () -> "first");
        clock.advance(Duration.ofMinutes(5));
        log.write("cache", () -> "second");
        assertEquals(List.of("first", "second"), lines);
    }

    @Test
    void kindsAreLimitedEachOnItsOwn() {
        assertTrue(log.write("cache", () -> "cache"));
        assertTrue(log.write("rate limits", () -> "rate limits"));
        clock.advance(Duration.ofSeconds(29));
        assertFalse(log.write("cache", () -> "cache again"));
        assertFalse(log.write("rate limits", () -> "rate limits again"));
        clock.advance(Duration.ofSeconds(1));
        assertTrue(log.write("rate limits", () -> "rate limits at 30 s"));
        assertEquals(List.of("cache", "rate limits", "rate limits at 30 s (1 more since 2026-12-05T10:00:00Z not logged)"), lines);
    }

    @Test
    void aHeldBackLineIsNotEvenFormatted() {
        log.write("cache", () -> "first");
        assertFalse(log.write("cache", () -> {
            throw new AssertionError("formatted although held back");
        }));
    }
}
