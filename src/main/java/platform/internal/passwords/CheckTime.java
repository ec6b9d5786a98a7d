package platform.internal.passwords;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * How long a password check takes on this node, and a wait that long for sign-ins at accounts that
 * do not exist. The estimate is the lower median of the last {@link #SAMPLES} durations (a median,
 * so that a check slowed by a pause does not move it): of real checks, and of calibration hashes.
 * A calibration is one hash of a random password with the target work factors, computed instead of
 * waiting by a pretended check when no duration was recorded for {@link #REFRESH} (at most one at a
 * time): at most one such hash per node and {@code REFRESH}, however many requests come, and an
 * estimate that follows the node's load and warm-up even when nobody signs in for real. The very
 * first estimate takes two calibrations (the first hash in a fresh JVM is slow), computed by the
 * first caller while the others wait for it.
 */
final class CheckTime {

    static final int SAMPLES = 16;
    static final Duration REFRESH = Duration.ofMinutes(1);

    private final LongSupplier calibration;
    private final LongConsumer sleeper;
    private final LongSupplier nanoClock;
    private final long[] recent = new long[SAMPLES];
    private int count;
    private int next;
    private long lastRecordedAt;
    private final AtomicReference<CompletableFuture<Void>> first = new AtomicReference<>();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    /**
     * @param calibration computes one hash with the target work factors and returns its duration in nanoseconds
     * @param sleeper     waits the given number of nanoseconds
     * @param nanoClock   a monotonic clock in nanoseconds ({@link System#nanoTime()})
     */
    CheckTime(LongSupplier calibration, LongConsumer sleeper, LongSupplier nanoClock) {
        this.calibration = calibration;
        this.sleeper = sleeper;
        this.nanoClock = nanoClock;
    }

    /** A check (or calibration) with the target work factors took this long. */
    synchronized void observed(long nanos) {
        recent[next] = nanos;
        next = (next + 1) % SAMPLES;
        count = Math.min(SAMPLES, count + 1);
        lastRecordedAt = nanoClock.getAsLong();
    }

    /** Takes as long as a check: waits the estimate, or computes the calibration hash when one is due. */
    void pretend() {
        boolean stale;
        synchronized (this) {
            if (count == 0) {
                stale = false;
            } else {
                stale = nanoClock.getAsLong() - lastRecordedAt > REFRESH.toNanos();
            }
        }
        if (stale && refreshing.compareAndSet(false, true)) {
            try {
                observed(calibration.getAsLong());
                return;
            } finally {
                refreshing.set(false);
            }
        }
        sleeper.accept(estimate());
    }

    /** The current estimate in nanoseconds; the first call calibrates. */
    long estimate() {
        synchronized (this) {
            if (count > 0) {
                return median();
            }
        }
        calibrateFirst();
        synchronized (this) {
            return median();
        }
    }

    private long median() {
        long[] sorted = Arrays.copyOf(recent, count);
        Arrays.sort(sorted);
        return sorted[(count - 1) / 2];
    }

    /** The first estimate: two calibrations by one caller, the others wait (holding no lock). */
    private void calibrateFirst() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> running = first.compareAndExchange(null, mine);
        if (running != null) {
            try {
                running.join();
            } catch (CompletionException failed) {
                throw failed.getCause() instanceof RuntimeException cause ? cause : failed;
            }
            return;
        }
        try {
            long cold = calibration.getAsLong();
            long warm = calibration.getAsLong();
            observed(cold);
            observed(warm);
            mine.complete(null);
        } catch (RuntimeException e) {
            first.set(null); // the next caller tries again
            mine.completeExceptionally(e);
            throw e;
        }
    }

    static void sleep(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
