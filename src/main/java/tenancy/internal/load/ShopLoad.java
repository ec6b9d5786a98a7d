package tenancy.internal.load;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import platform.bulkhead.TenantBulkhead;
import platform.load.RecentLoad;
import tenancy.CellLoad;

/**
 * The recent load of a cell node's shops, for its heartbeats: requests per shop, counted here as each
 * shop request is bound to its tenant, and database time per shop, from the node's bulkhead. Both are
 * bounded sketches ({@link RecentLoad}) over the last full window and the running one.
 */
@Singleton
public class ShopLoad {

    /** Counters per sketch: every shop above 1/64 of a window's requests is found. */
    static final int COUNTERS = 64;
    /** The length of a window (the bulkhead counts database time in windows of the same length). */
    static final Duration WINDOW = Duration.ofSeconds(10);
    /** Shops reported per heartbeat: those with the largest shares. */
    static final int REPORTED = 8;

    private final RecentLoad requests = new RecentLoad(COUNTERS, WINDOW, System::nanoTime);

    @Inject TenantBulkhead bulkhead;

    /** One request of {@code tenant} served. */
    public void requestSeen(UUID tenant) {
        requests.add(tenant, 1);
    }

    /** The node's recent load and its heaviest shops. */
    public CellLoad report() {
        return report(requests.summary(COUNTERS), bulkhead.recentDatabaseTime(COUNTERS), REPORTED);
    }

    /**
     * The report of two summaries (requests counted one per request, database time in nanoseconds): every
     * shop in either, with its figures from both (0 where a sketch did not count it), the {@code limit}
     * largest shares first.
     */
    static CellLoad report(RecentLoad.Summary requests, RecentLoad.Summary databaseTime, int limit) {
        Map<UUID, long[]> byTenant = new LinkedHashMap<>(); // tenant -> {requests, database nanos}
        requests.heaviest().forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new long[2])[0] = e.weight());
        databaseTime.heaviest().forEach(e -> byTenant.computeIfAbsent(e.tenantId(), t -> new long[2])[1] = e.weight());
        List<CellLoad.TenantShare> shares = byTenant.entrySet().stream()
                .map(e -> new CellLoad.TenantShare(e.getKey(),
                        round(requests.perSecond(e.getValue()[0])), round(requests.share(e.getValue()[0])),
                        round(databaseTime.perSecond(e.getValue()[1]) / 1e9), round(databaseTime.share(e.getValue()[1]))))
                .sorted(java.util.Comparator.comparingDouble(CellLoad.TenantShare::share).reversed()
                        .thenComparing(CellLoad.TenantShare::tenantId))
                .limit(limit)
                .toList();
        return new CellLoad(requests.over().toMillis(), round(requests.perSecond(requests.total())),
                round(databaseTime.perSecond(databaseTime.total()) / 1e9), shares);
    }

    /** Three decimals: enough for shares and rates, and a short heartbeat. */
    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
