package platform.ratelimit;

import java.time.Duration;

/**
 * The generic cell rate algorithm: a token bucket kept as one number per key, the theoretical
 * arrival time (TAT) of the next attempt. An attempt at {@code now} is admitted if, after it, the TAT
 * lies at most {@code burst} intervals ahead of {@code now}; then the TAT moves one interval on.
 * Times are microseconds; the same rule runs as Lua scripts in Redis (the gateway's tenant limits, a
 * cell's sign-in limits), and in-process in {@link LocalGcra}.
 */
public final class Gcra {

    private Gcra() {}

    /**
     * {@code limit} attempts per {@code period} on average, at most {@code burst} at once.
     *
     * @param intervalMicros the period divided by the limit: the time one attempt takes to refill
     * @param burst          attempts admitted at once from a full bucket
     */
    public record Rate(long intervalMicros, int burst) {

        public Rate {
            if (intervalMicros < 1 || burst < 1) {
                throw new IllegalArgumentException("a rate needs an interval and a burst of at least 1");
            }
        }

        public static Rate of(int limit, Duration period, int burst) {
            if (limit < 1 || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("a rate needs a limit of at least 1 and a positive period");
            }
            return new Rate(Math.max(1, period.toNanos() / 1000 / limit), burst);
        }

        /** How far the TAT may run ahead of now: the bucket's size in time. */
        public long toleranceMicros() {
            return intervalMicros * burst;
        }
    }

    /** One attempt's outcome: admitted with the key's next TAT, or refused with how long to wait. */
    public record Step(boolean admitted, long nextTat, long waitMicros) {}

    /** The outcome of an attempt at {@code now} on a key whose TAT is {@code tat} (0 when the key is new). */
    public static Step attempt(long tat, long now, Rate rate) {
        long current = Math.max(tat, now);
        long next = current + rate.intervalMicros();
        long ahead = next - now;
        if (ahead > rate.toleranceMicros()) {
            return new Step(false, tat, ahead - rate.toleranceMicros());
        }
        return new Step(true, next, 0);
    }
}
