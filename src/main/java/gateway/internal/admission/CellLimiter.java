package gateway.internal.admission;

import com.netflix.concurrency.limits.Limit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
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
 * times {@link Settings#overshoot}). A quiet tenant thus always gets in at once.
 *
 * <p>A request that is not admitted may wait ({@link #await}, ADR 0019): in its tenant's queue, at
 * most {@link Settings#maxWaitingPerTenant} per tenant and {@link Settings#maxWaiting} in all (beyond
 * them it is shed). A place below the limit that comes free goes to a waiting request, the tenants
 * with requests waiting taking turns (round robin), so that the tenant that sends the most waits the
 * longest; places between the limit and the hard cap stay for tenants within their share. Who gives
 * up on a wait ({@link #cancel}) is shed. A flooding client that ignores {@code Retry-After} thus
 * waits for the cell instead of turning refusals into more requests.
 *
 * <p>Each shop's reads are also paced ({@link TenantPacer}; writes never are): a rate per shop that starts low for a
 * shop not seen lately, grows while the light shops' latency stays near its usual level and falls in
 * proportion when it rises. A request beyond its shop's pace waits like one beyond the limit, and
 * {@link #tick} lets it start once its time has come.
 *
 * <p>Memory is bounded by what is in flight: a tenant's count goes when its last request ends.
 * Thread-safe: the counts are kept under this object's monitor for a few arithmetic steps (event
 * loops never wait on anything else here); the latency sample goes to the library outside it.
 * Time comes from the given clock (nanoseconds), so tests drive it.
 */
final class CellLimiter {

    /** Settings of every cell's limiter. */
    record Settings(int minLimit, double overshoot, int minShare, double saturatedCpu, long reportLifetimeNanos,
                    int maxWaiting, int maxWaitingPerTenant, double neighbourLatencyRatio, double tenantStartRate,
                    double tenantMinRate, long loopLagLimitNanos) {

        /** Pacing that does not follow the gateway's loops. */
        Settings(int minLimit, double overshoot, int minShare, double saturatedCpu, long reportLifetimeNanos,
                 int maxWaiting, int maxWaitingPerTenant, double neighbourLatencyRatio, double tenantStartRate,
                 double tenantMinRate) {
            this(minLimit, overshoot, minShare, saturatedCpu, reportLifetimeNanos, maxWaiting, maxWaitingPerTenant,
                    neighbourLatencyRatio, tenantStartRate, tenantMinRate, 0);
        }

        /** Without waiting and without pacing: every request that is not admitted at once is shed. */
        Settings(int minLimit, double overshoot, int minShare, double saturatedCpu, long reportLifetimeNanos) {
            this(minLimit, overshoot, minShare, saturatedCpu, reportLifetimeNanos, 0, 0, 0, 0, 0);
        }

        /** With waiting, without pacing. */
        Settings(int minLimit, double overshoot, int minShare, double saturatedCpu, long reportLifetimeNanos,
                 int maxWaiting, int maxWaitingPerTenant) {
            this(minLimit, overshoot, minShare, saturatedCpu, reportLifetimeNanos, maxWaiting, maxWaitingPerTenant, 0, 0, 0);
        }
    }

    /** The window of the pacing per shop ({@link TenantPacer}) and the light requests a window needs. */
    static final long PACE_WINDOW_NANOS = 1_000_000_000L;
    static final int PACE_MIN_SAMPLES = 3;
    /** The highest a shop's rate grows to at one cell, in requests per second from this gateway. */
    static final double PACE_MAX_RATE = 1_000_000;

    /**
     * A request waiting for a place: granted a permit by the request that frees one (its callback then
     * runs on that request's thread, outside this limiter's monitor), or given up ({@link #cancel}).
     */
    static final class Waiter {
        final UUID tenantId;
        final Consumer<Permit> onGrant;
        /** Whether the request keeps to its shop's pace (reads do; writes such as checkouts never wait for it). */
        final boolean paced;
        /** Granted or given up: guarded by the limiter's monitor. */
        private boolean done;

        Waiter(UUID tenantId, boolean paced, Consumer<Permit> onGrant) {
            this.paced = paced;
            this.tenantId = tenantId;
            this.onGrant = onGrant;
        }
    }

    /** A saturated report cuts the cap to this share of the current limit. */
    static final double SATURATED_BACKOFF = 0.75;
    /** A report that is not saturated raises a cap by this share of itself (at least one). */
    static final double RECOVERY = 0.5;
    private static final int NO_CAP = Integer.MAX_VALUE;

    private final Limit limit;
    private final Settings settings;
    private final LongSupplier nanoTime;
    /** The pacing per shop from its neighbours' latency; null when off. */
    private final TenantPacer pacer;
    private final Map<UUID, int[]> tenants = new HashMap<>();
    /** The waiting requests per tenant, tenants in turn order: the first one is served next. */
    private final LinkedHashMap<UUID, ArrayDeque<Waiter>> queues = new LinkedHashMap<>();
    private int waiting;
    private int inflight;
    private int cap = NO_CAP;
    private long capUntil;
    private CellSaturation lastReport;
    private long lastReportAt;

    CellLimiter(Limit limit, Settings settings, LongSupplier nanoTime) {
        this(limit, settings, nanoTime, () -> -1);
    }

    /** With the gateway's event loop lag ({@link LoopLag#p99Nanos}, -1 while unknown), which the paces follow too. */
    CellLimiter(Limit limit, Settings settings, LongSupplier nanoTime, LongSupplier loopLag) {
        this.limit = limit;
        this.settings = settings;
        this.nanoTime = nanoTime;
        this.pacer = settings.neighbourLatencyRatio() > 1 && settings.tenantStartRate() > 0
                ? new TenantPacer(settings.tenantStartRate(), settings.tenantMinRate(), PACE_MAX_RATE, PACE_WINDOW_NANOS,
                        PACE_MIN_SAMPLES, settings.neighbourLatencyRatio(), 1 + (settings.neighbourLatencyRatio() - 1) * 0.4,
                        settings.loopLagLimitNanos(), loopLag)
                : null;
    }

    /** A permit for one request of the tenant, kept to its shop's pace or not, or null when it is not admitted now. */
    Permit tryAcquire(UUID tenantId, boolean paced) {
        long now = nanoTime.getAsLong();
        synchronized (this) {
            return admits(tenantId, paced, now) ? take(tenantId, paced, now) : null;
        }
    }

    /**
     * A place in the tenant's queue for a request that {@link #tryAcquire} did not admit, or null when
     * the queue is full (the request is shed). When a place is free by now, the request is admitted
     * at once: {@code onGrant} then runs before this returns. {@code paced}: the request keeps to its shop's pace.
     */
    Waiter await(UUID tenantId, boolean paced, Consumer<Permit> onGrant) {
        long now = nanoTime.getAsLong();
        Waiter waiter = new Waiter(tenantId, paced, onGrant);
        Permit granted;
        synchronized (this) {
            if (admits(tenantId, paced, now)) {
                waiter.done = true;
                granted = take(tenantId, paced, now);
            } else {
                ArrayDeque<Waiter> queue = queues.get(tenantId);
                if (waiting >= settings.maxWaiting()
                        || (queue != null && queue.size() >= settings.maxWaitingPerTenant()) || settings.maxWaitingPerTenant() < 1) {
                    return null;
                }
                if (queue == null) {
                    queue = new ArrayDeque<>();
                    queues.put(tenantId, queue);
                }
                queue.addLast(waiter);
                waiting++;
                return waiter;
            }
        }
        onGrant.accept(granted);
        return waiter;
    }

    /** Gives up a wait: true when the request was still waiting (it is shed), false when it was granted meanwhile. */
    boolean cancel(Waiter waiter) {
        synchronized (this) {
            if (waiter.done) {
                return false;
            }
            waiter.done = true;
            ArrayDeque<Waiter> queue = queues.get(waiter.tenantId);
            if (queue != null && queue.remove(waiter)) {
                waiting--;
                if (queue.isEmpty()) {
                    queues.remove(waiter.tenantId);
                }
            }
            return true;
        }
    }

    /** Whether a request of the tenant may start now (see the class comment). */
    private boolean admits(UUID tenantId, boolean paced, long now) {
        if (paced && pacer != null && !paceAllows(tenantId, now)) {
            return false;
        }
        int[] mine = tenants.get(tenantId);
        int current = limit(now);
        if (inflight < current) {
            return true;
        }
        int active = tenants.size() + (mine == null ? 1 : 0);
        int share = Math.max(settings.minShare(), current / active);
        return (mine == null || mine[0] < share) && inflight < hardCap(current);
    }

    /** Whether the tenant's pace (its rate, and for a held shop what it has in flight) lets a read start now. */
    private boolean paceAllows(UUID tenantId, long now) {
        int[] mine = tenants.get(tenantId);
        return pacer.allows(tenantId, now, mine == null ? 0 : mine[0]);
    }

    private Permit take(UUID tenantId, boolean paced, long now) {
        int[] mine = tenants.get(tenantId);
        if (mine == null) {
            mine = new int[1];
            tenants.put(tenantId, mine);
        }
        mine[0]++;
        boolean free = pacer == null || !paced || pacer.start(tenantId, now);
        return new Permit(this, tenantId, now, ++inflight, free && mine[0] <= settings.minShare());
    }

    /**
     * Hands the places below the limit that are free to waiting requests, tenants in turn, passing over
     * tenants whose pace does not let them start yet; their callbacks run after the monitor.
     */
    private List<Waiter> grantWaiting(long now, List<Permit> permits) {
        if (waiting == 0) {
            return List.of();
        }
        List<Waiter> granted = new ArrayList<>();
        int current = limit(now);
        while (waiting > 0 && inflight < current) {
            UUID next = null;
            for (Map.Entry<UUID, ArrayDeque<Waiter>> queue : queues.entrySet()) {
                UUID tenant = queue.getKey();
                if (pacer == null || !queue.getValue().peekFirst().paced || paceAllows(tenant, now)) {
                    next = tenant;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            ArrayDeque<Waiter> queue = queues.remove(next);
            Waiter waiter = queue.pollFirst();
            if (!queue.isEmpty()) {
                queues.put(next, queue); // to the back of the turn order
            }
            waiting--;
            waiter.done = true;
            granted.add(waiter);
            permits.add(take(next, waiter.paced, now));
        }
        return granted;
    }

    private static void hand(List<Waiter> granted, List<Permit> permits) {
        for (int i = 0; i < granted.size(); i++) {
            try {
                granted.get(i).onGrant.accept(permits.get(i));
            } catch (RuntimeException e) {
                permits.get(i).failed(false); // nobody will use it: the place goes back
            }
        }
    }

    /** Ends a permit's request: frees its place and, when {@code sample}, gives the library its latency. */
    void release(Permit permit, boolean sample, boolean dropped) {
        long now = nanoTime.getAsLong();
        List<Permit> permits = new ArrayList<>(0);
        List<Waiter> granted;
        synchronized (this) {
            inflight--;
            int[] mine = tenants.get(permit.tenantId);
            if (mine != null && --mine[0] <= 0) {
                tenants.remove(permit.tenantId);
            }
            if (sample && !dropped && pacer != null) {
                if (permit.light) {
                    pacer.light(now - permit.startNanos, now, permit.tenantId);
                } else {
                    pacer.own(permit.tenantId, now - permit.startNanos, now);
                }
            }
            granted = grantWaiting(now, permits);
        }
        if (sample) {
            limit.onSample(permit.startNanos, Math.max(0, now - permit.startNanos), permit.inflightAtStart, dropped);
        }
        hand(granted, permits);
    }

    /**
     * Lets waiting requests start whose shop's pace allows them by now (a place below the limit given):
     * called on a short timer while requests wait, since time alone frees them.
     */
    void tick() {
        List<Permit> permits = new ArrayList<>(0);
        List<Waiter> granted;
        synchronized (this) {
            granted = grantWaiting(nanoTime.getAsLong(), permits);
        }
        hand(granted, permits);
    }

    /**
     * Takes a report of the cell's saturation: a saturated one cuts the cap, one that is not raises it
     * (see the class comment); null (a cell of an earlier version) changes nothing.
     */
    void report(CellSaturation saturation) {
        if (saturation == null) {
            return;
        }
        List<Permit> permits = new ArrayList<>(0);
        List<Waiter> granted;
        synchronized (this) {
            capBy(saturation);
            granted = grantWaiting(nanoTime.getAsLong(), permits); // a cap lifted frees places
        }
        hand(granted, permits);
    }

    private void capBy(CellSaturation saturation) {
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
        return new Snapshot(limit(now), adaptive(), capped(now) ? cap : null, inflight, tenants.size(), waiting,
                pacer == null ? List.of() : pacer.slowest(SNAPSHOT_PACES, now),
                pacer == null || pacer.usual() < 0 ? null : pacer.usual() / 1_000_000.0,
                pacer == null ? null : pacer.lastVerdict().name().toLowerCase(java.util.Locale.ROOT), lastReport,
                lastReport == null ? null : (now - lastReportAt) / 1_000_000);
    }

    /** The shops' paces the operator's view shows at most, the slowest first. */
    static final int SNAPSHOT_PACES = 10;

    /**
     * The state of a cell's admission; {@code cap} null when none holds, {@code paces} the slowest shops'
     * rates, the light requests' usual latency and the last window's verdict (null without pacing), the
     * report's age in milliseconds.
     */
    record Snapshot(int limit, int adaptiveLimit, Integer cap, int inflight, int tenants, int waiting,
                    List<TenantPacer.Rate> paces, Double lightUsualMillis, String lastVerdict, CellSaturation lastReport,
                    Long reportAgeMillis) {}

    /** The rate a tenant's requests may start at now (requests per second); 0 without pacing. */
    synchronized double rate(UUID tenantId) {
        return pacer == null ? 0 : pacer.rate(tenantId, nanoTime.getAsLong());
    }

    synchronized int waiting() {
        return waiting;
    }

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
