package gateway.internal.admission;

import com.netflix.concurrency.limits.Limit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import tenancy.CellSaturation;

/**
 * Admission to one cell on this gateway: a concurrency limit and who holds it.
 *
 * <p>The limit is the library's {@link Limit} (in production Gradient2 over windows of the latency this
 * gateway observes, {@link Admission#adaptiveLimit}), capped while the cell reports saturation in its
 * heartbeats ({@link #report}): a saturated report cuts the cap to three quarters of the current limit
 * (never below the minimum), each report that is not saturated raises it by half until it is above the
 * adaptive limit and lifted, and a cap whose cell stops reporting lapses after the report's lifetime.
 *
 * <p>Below the limit every request is admitted. At the limit a request is admitted only when its
 * tenant's requests in flight, this one included, stay within the tenant's fair share (the limit
 * divided by the tenants with requests in flight, this one's included, and at least
 * {@link Settings#minShare}), and the cell's requests in flight stay within the hard cap (the limit
 * times {@link Settings#overshoot}); every other request is shed at once. A flooding tenant is thus
 * shed first while quiet tenants still get in; no request waits.
 *
 * <p>Memory is bounded by what is in flight: a tenant's count goes when its last request ends.
 * Thread-safe: the counts are kept under this object's monitor for a few arithmetic steps (event
 * loops never wait on anything else here); the latency sample goes to the library outside it.
 * Time comes from the given clock (nanoseconds), so tests drive it.
 */
final class CellLimiter {

    /** Settings of every cell's limiter. */
    record Settings(int minLimit, double overshoot, int minShare, double saturatedCpu, long reportLifetimeNanos) {}

    /** A saturated report cuts the cap to this share of the current limit. */
    static final double SATURATED_BACKOFF = 0.75;
    /** A report that is not saturated raises a cap by this share of itself (at least one). */
    static final double RECOVERY = 0.5;
    private static final int NO_CAP = Integer.MAX_VALUE;

    private final Limit limit;
    private final Settings settings;
    private final LongSupplier nanoTime;
    private final Map<UUID, int[]> tenants = new HashMap<>();
    private int inflight;
    private int cap = NO_CAP;
    private long capUntil;
    private CellSaturation lastReport;
    private long lastReportAt;

    CellLimiter(Limit limit, Settings settings, LongSupplier nanoTime) {
        this.limit = limit;
        this.settings = settings;
        this.nanoTime = nanoTime;
    }

    /** A permit for one request of the tenant, or null when it is shed. */
    Permit tryAcquire(UUID tenantId) {
        long now = nanoTime.getAsLong();
        int inflightNow;
        synchronized (this) {
            int current = limit(now);
            int[] mine = tenants.get(tenantId);
            if (inflight >= current) {
                int active = tenants.size() + (mine == null ? 1 : 0);
                int share = Math.max(settings.minShare(), current / active);
                if ((mine != null && mine[0] >= share) || inflight >= hardCap(current)) {
                    return null;
                }
            }
            if (mine == null) {
                mine = new int[1];
                tenants.put(tenantId, mine);
            }
            mine[0]++;
            inflightNow = ++inflight;
        }
        return new Permit(this, tenantId, now, inflightNow);
    }

    /** Ends a permit's request: frees its place and, when {@code sample}, gives the library its latency. */
    void release(Permit permit, boolean sample, boolean dropped) {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            inflight--;
            int[] mine = tenants.get(permit.tenantId);
            if (mine != null && --mine[0] <= 0) {
                tenants.remove(permit.tenantId);
            }
        }
        if (sample) {
            limit.onSample(permit.startNanos, Math.max(0, now - permit.startNanos), permit.inflightAtStart, dropped);
        }
    }

    /**
     * Takes a report of the cell's saturation: a saturated one cuts the cap, one that is not raises it
     * (see the class comment); null (a cell of an earlier version) changes nothing.
     */
    synchronized void report(CellSaturation saturation) {
        if (saturation == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        lastReport = saturation;
        lastReportAt = now;
        int adaptive = adaptive();
        if (saturated(saturation)) {
            cap = Math.max(settings.minLimit(), (int) (limit(now) * SATURATED_BACKOFF));
            capUntil = now + settings.reportLifetimeNanos();
        } else if (capped(now)) {
            cap += Math.max(1, (int) (cap * RECOVERY));
            if (cap >= adaptive) {
                cap = NO_CAP;
            } else {
                capUntil = now + settings.reportLifetimeNanos();
            }
        } else {
            cap = NO_CAP;
        }
    }

    /** Whether a report says the cell is saturated: a thread waits for a database connection, every worker is busy, or the CPU is at the threshold. */
    boolean saturated(CellSaturation s) {
        return s.dbWaiting() > 0 || (s.maxWorkers() > 0 && s.busyWorkers() >= s.maxWorkers()) || s.cpu() >= settings.saturatedCpu();
    }

    /** The limit in force now: the adaptive one, capped while a saturation report holds. */
    synchronized int limit() {
        return limit(nanoTime.getAsLong());
    }

    private int limit(long now) {
        int adaptive = adaptive();
        return capped(now) ? Math.min(adaptive, cap) : adaptive;
    }

    private int adaptive() {
        return Math.max(1, limit.getLimit());
    }

    private boolean capped(long now) {
        return cap != NO_CAP && now - capUntil < 0;
    }

    /** The most requests in flight the cell may have for tenants within their share. */
    int hardCap(int current) {
        return Math.max(current, (int) Math.ceil(current * settings.overshoot()));
    }

    /** What the operator's view shows of this cell. */
    synchronized Snapshot snapshot() {
        long now = nanoTime.getAsLong();
        return new Snapshot(limit(now), adaptive(), capped(now) ? cap : null, inflight, tenants.size(), lastReport,
                lastReport == null ? null : (now - lastReportAt) / 1_000_000);
    }

    /** The state of a cell's admission; {@code cap} null when none holds, the report's age in milliseconds. */
    record Snapshot(int limit, int adaptiveLimit, Integer cap, int inflight, int tenants, CellSaturation lastReport,
                    Long reportAgeMillis) {}

    synchronized int inflight() {
        return inflight;
    }

    synchronized int inflight(UUID tenantId) {
        int[] mine = tenants.get(tenantId);
        return mine == null ? 0 : mine[0];
    }

    synchronized int activeTenants() {
        return tenants.size();
    }
}
