package catalog.internal.readcache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A small circuit breaker in front of the cell's Redis, cheap enough for every storefront read (two
 * atomic reads when closed): after {@code threshold} consecutive failed calls (errors or timeouts) it
 * opens and refuses calls for {@code openFor}; then it lets one trial call through at a time until a
 * call succeeds (closed again) or fails (open again).
 */
final class RedisBreaker {

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoTime;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** When the breaker lets the next trial call through (nanoTime); meaningful only while open. */
    private final AtomicLong retryAt = new AtomicLong();

    RedisBreaker(int threshold, Duration openFor, LongSupplier nanoTime) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1: " + threshold);
        }
        this.threshold = threshold;
        this.openForNanos = openFor.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether a call may go to Redis now; when open, true for one trial call once {@code openFor} has passed. */
    boolean allow() {
        if (consecutiveFailures.get() < threshold) {
            return true;
        }
        long now = nanoTime.getAsLong();
        long at = retryAt.get();
        // one trial at a time: the caller that moves retryAt forward makes the trial call
        return now - at >= 0 && retryAt.compareAndSet(at, now + openForNanos);
    }

    /** A call answered: the breaker closes. */
    void success() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** A call failed or timed out: at the threshold (or on a failed trial) the breaker opens for {@code openFor}. */
    void failure() {
        int failures = consecutiveFailures.incrementAndGet();
        if (failures >= threshold) {
            retryAt.set(nanoTime.getAsLong() + openForNanos);
        }
    }

    /** Whether calls are refused now (for metrics and tests). */
    boolean isOpen() {
        return consecutiveFailures.get() >= threshold && nanoTime.getAsLong() - retryAt.get() < 0;
    }
}
