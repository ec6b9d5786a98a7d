package platform.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A weight per tenant (nanoseconds of database time, a count of requests) over the last full window and
 * the running one, in two bounded {@link HeavyHitters} sketches, with the total of every tenant's weight
 * over the same period: memory does not grow with the number of tenants, and every tenant that weighed
 * more than 1/{@code capacity} of a window's total is reported. Thread-safe.
 */
public final class RecentLoad {

    private final int capacity;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private HeavyHitters<UUID> current;
    private HeavyHitters<UUID> previous;
    private long windowStart;
    /** How long the previous sketch counted: 0 until the first window is over. */
    private long previousNanos;

    /**
     * @param capacity counters per sketch: every tenant above 1/capacity of a window's total is found
     * @param window   the length of a window; a summary covers the last full one and the running one
     * @param nanoTime the clock ({@link System#nanoTime} but in tests)
     */
    public RecentLoad(int capacity, Duration window, LongSupplier nanoTime) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window " + window);
        }
        this.capacity = capacity;
        this.windowNanos = window.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.current = new HeavyHitters<>(capacity);
        this.previous = new HeavyHitters<>(capacity);
        this.windowStart = nanoTime.getAsLong();
    }

    /** Counts {@code weight} (ignored unless positive) for {@code tenant} now. */
    public synchronized void add(UUID tenant, long weight) {
        rotate();
        current.add(tenant, weight);
    }

    /**
     * The heaviest tenants, at most {@code limit}, heaviest first: their weight in the previous window plus
     * the running one, and the total over that period. Each sketch's guaranteed part is counted (a tenant
     * missing from one sketch counts nothing there), so a tenant's weight is a lower bound; the total is exact.
     */
    public synchronized Summary summary(int limit) {
        rotate();
        long now = nanoTime.getAsLong();
        long over = previousNanos + (now - windowStart);
        Map<UUID, Long> sums = new HashMap<>();
        for (HeavyHitters<UUID> sketch : List.of(previous, current)) {
            for (HeavyHitters.Entry<UUID> e : sketch.entries()) {
                sums.merge(e.key(), e.guaranteed(), Long::sum);
            }
        }
        List<Entry> entries = new ArrayList<>(sums.size());
        sums.forEach((tenant, weight) -> {
            if (weight > 0) {
                entries.add(new Entry(tenant, weight));
            }
        });
        entries.sort(Comparator.comparingLong(Entry::weight).reversed().thenComparing(Entry::tenantId));
        List<Entry> heaviest = entries.size() > limit ? List.copyOf(entries.subList(0, Math.max(0, limit))) : List.copyOf(entries);
        return new Summary(heaviest, previous.total() + current.total(), Duration.ofNanos(Math.max(1, over)));
    }

    private void rotate() {
        long now = nanoTime.getAsLong();
        long elapsed = now - windowStart;
        if (elapsed < windowNanos) {
            return;
        }
        boolean idleWindowBetween = elapsed >= 2 * windowNanos;
        previous = idleWindowBetween ? new HeavyHitters<>(capacity) : current;
        current = new HeavyHitters<>(capacity);
        previousNanos = windowNanos;
        windowStart = idleWindowBetween ? now : windowStart + windowNanos;
    }

    /** One tenant's weight over a summary's period (a lower bound). */
    public record Entry(UUID tenantId, long weight) {}

    /**
     * The heaviest tenants of a period, the total weight of all tenants in it, and its length.
     *
     * @param heaviest heaviest first
     * @param total    every tenant's weight together
     * @param over     the period counted (never zero)
     */
    public record Summary(List<Entry> heaviest, long total, Duration over) {

        /** {@code weight} per second of the period. */
        public double perSecond(long weight) {
            return weight * 1e9 / over.toNanos();
        }

        /** {@code weight}'s part of the total, 0..1 (0 while nothing was counted). */
        public double share(long weight) {
            return total <= 0 ? 0 : Math.min(1.0, (double) weight / total);
        }
    }
}
