package platform.internal.bulkhead;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import platform.bulkhead.TenantBulkhead.TenantLoad;

/**
 * Database time per tenant (how long its transactions held a permit, hence a connection) over the
 * last full window and the running one, in two bounded {@link HeavyHitters} sketches: memory does
 * not grow with the number of tenants, and every tenant that held more than 1/{@code capacity} of
 * a window's database time is reported. Thread-safe.
 */
final class DatabaseTime {

    private final int capacity;
    private final long windowNanos;
    private final LongSupplier nanoTime;
    private HeavyHitters<UUID> current;
    private HeavyHitters<UUID> previous;
    private long windowStart;
    /** How long the previous sketch counted: 0 until the first window is over. */
    private long previousNanos;

    DatabaseTime(int capacity, Duration window, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.windowNanos = window.toNanos();
        this.nanoTime = nanoTime;
        this.current = new HeavyHitters<>(capacity);
        this.previous = new HeavyHitters<>(capacity);
        this.windowStart = nanoTime.getAsLong();
    }

    synchronized void add(UUID tenant, long nanos) {
        rotate();
        current.add(tenant, nanos);
    }

    /**
     * The heaviest tenants, at most {@code limit}: their time in the previous window plus the running
     * one, over that period; each sketch's guaranteed part (a tenant missing from one sketch counts
     * nothing there), so the times are lower bounds.
     */
    synchronized List<TenantLoad> heaviest(int limit) {
        rotate();
        long now = nanoTime.getAsLong();
        long over = previousNanos + (now - windowStart);
        Map<UUID, Long> sums = new HashMap<>();
        for (HeavyHitters<UUID> sketch : List.of(previous, current)) {
            for (HeavyHitters.Entry<UUID> e : sketch.entries()) {
                sums.merge(e.key(), e.guaranteed(), Long::sum);
            }
        }
        List<TenantLoad> loads = new ArrayList<>(sums.size());
        Duration period = Duration.ofNanos(Math.max(1, over));
        sums.forEach((tenant, nanos) -> loads.add(new TenantLoad(tenant, Duration.ofNanos(nanos), period)));
        loads.sort(Comparator.comparing(TenantLoad::databaseTime).reversed());
        return loads.size() > limit ? List.copyOf(loads.subList(0, limit)) : loads;
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
}
