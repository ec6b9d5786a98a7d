package catalog.internal.readcache;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RedisBreakerTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final RedisBreaker breaker = new RedisBreaker(3, Duration.ofSeconds(1), now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.failure();
        breaker.failure();
        breaker.success(); // an answer in between starts the count again
        breaker.failure();
        breaker.failure();
        assertTrue(breaker.allow());
        breaker.failure();
        assertFalse(breaker.allow());
        assertTrue(breaker.isOpen());
    }

    @Test
    void letsOneTrialThroughAfterTheOpenTimeThenClosesOnSuccess() {
        for (int i = 0; i < 3; i++) {
            breaker.failure();
        }
        now.addAndGet(Duration.ofMillis(999).toNanos());
        assertFalse(breaker.allow());
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertTrue(breaker.allow(), "one trial call after the open time");
        assertFalse(breaker.allow(), "only one trial at a time");
        breaker.success();
        assertTrue(breaker.allow());
        assertTrue(breaker.allow());
        assertFalse(breaker.isOpen());
    }

    @Test
    void aFailedTrialOpensItAgainForTheWholeTime() {
        for (int i = 0; i < 3; i++) {
            breaker.failure();
        }
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(breaker.allow());
        breaker.failure();
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertFalse(breaker.allow());
        now.addAndGet(Duration.ofMillis(500).toNanos());
        assertTrue(breaker.allow());
    }
}
