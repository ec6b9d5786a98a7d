package controlplane.internal.hot;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import platform.StorefrontConfig;
import tenancy.CellLoad;

/**
 * The hot shops of the fleet, from the load its cells report in their heartbeats ({@link CellLoad}): a shop
 * is hot while every report of its cell gives it at least the configured share of the cell's load, and a
 * move candidate once that has lasted the configured window. Kept in the control database (a control node's
 * restart forgets nothing; every control node records the same newest reports), one row per hot shop, so at
 * most a handful per cell. See docs/adr/0018-hot-tenant-detection.md.
 */
@ApplicationScoped
public class HotTenants {

    @Inject HotTenantConfig config;
    @Inject StorefrontConfig node;
    @Inject Clock clock;
    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;

    /**
     * Records the hot shops of a cell's newest report (inside the caller's transaction): a shop hot in it
     * stays hot since it first was (or becomes hot now), a shop of the cell that is not is hot no more.
     * Shops the control plane does not know are skipped.
     */
    public void record(String cellId, Instant reportedAt, CellLoad load) {
        EntityManager em = controlEntityManager.get();
        for (CellLoad.TenantShare hot : HotTenantRules.of(config).hot(load)) {
            em.createNativeQuery("insert into controlplane_hot_tenant (cell_id, tenant_id, hot_since, reported_at, share,"
                            + " request_rate, request_share, db_connections, db_share)"
                            + " select ?1, t.tenant_id, ?3, ?3, ?4, ?5, ?6, ?7, ?8 from controlplane_tenant t where t.tenant_id = ?2"
                            + " on conflict (cell_id, tenant_id) do update set reported_at = excluded.reported_at,"
                            + " share = excluded.share, request_rate = excluded.request_rate, request_share = excluded.request_share,"
                            + " db_connections = excluded.db_connections, db_share = excluded.db_share"
                            + " where controlplane_hot_tenant.reported_at < excluded.reported_at")
                    .setParameter(1, cellId).setParameter(2, hot.tenantId()).setParameter(3, reportedAt)
                    .setParameter(4, hot.share()).setParameter(5, hot.requestRate()).setParameter(6, hot.requestShare())
                    .setParameter(7, hot.dbConnections()).setParameter(8, hot.dbShare())
                    .executeUpdate();
        }
        em.createNativeQuery("delete from controlplane_hot_tenant where cell_id = ?1 and reported_at < ?2")
                .setParameter(1, cellId).setParameter(2, reportedAt).executeUpdate();
    }

    /** The hot shops of cells still reporting, move candidates first, then by share. */
    @Transactional
    public Listing list() {
        Instant now = clock.instant();
        List<HotTenant> tenants = new ArrayList<>();
        @SuppressWarnings("unchecked")
        List<Object[]> rows = controlEntityManager.get().createNativeQuery("select h.cell_id, h.tenant_id, t.handle, h.hot_since,"
                        + " h.reported_at, h.share, h.request_rate, h.request_share, h.db_connections, h.db_share"
                        + " from controlplane_hot_tenant h join controlplane_tenant t on t.tenant_id = h.tenant_id"
                        + " where h.reported_at >= ?1 order by h.share desc, h.tenant_id")
                .setParameter(1, now.minus(staleAfter())).getResultList();
        for (Object[] r : rows) {
            Instant since = instant(r[3]);
            Instant reported = instant(r[4]);
            Duration hotFor = Duration.between(since, reported);
            tenants.add(new HotTenant((UUID) r[1], (String) r[2], (String) r[0], number(r[5]), number(r[6]), number(r[7]),
                    number(r[8]), number(r[9]), since, reported, hotFor.toSeconds(), !hotFor.minus(config.window()).isNegative()));
        }
        tenants.sort(java.util.Comparator.comparing((HotTenant t) -> !t.candidate())
                .thenComparing(java.util.Comparator.comparingDouble(HotTenant::share).reversed()));
        Map<String, Double> byCell = new HashMap<>();
        tenants.stream().filter(HotTenant::candidate).forEach(t -> byCell.merge(t.cellId(), t.share(), Double::sum));
        return new Listing(config.share() / 100.0, config.window(), config.cellShare() / 100.0, tenants, byCell);
    }

    /** The part of each cell's load its move candidates take together (cells without any: absent). */
    public Map<String, Double> candidateShareByCell() {
        return list().candidateShareByCell();
    }

    /** Whether a cell whose move candidates take {@code candidateShare} of it still takes new shops. */
    public boolean takesNewShops(double candidateShare) {
        return candidateShare < config.cellShare() / 100.0;
    }

    /** Reports older than three heartbeat intervals are of a cell that stopped reporting: not counted. */
    private Duration staleAfter() {
        return node.heartbeatInterval().multipliedBy(3);
    }

    private static Instant instant(Object value) {
        return value instanceof Instant i ? i
                : value instanceof java.time.OffsetDateTime o ? o.toInstant()
                : ((java.sql.Timestamp) value).toInstant();
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    /**
     * A hot shop with its figures from its cell's latest report.
     *
     * @param hotFor    seconds it has been hot, up to its cell's latest report
     * @param candidate hot for at least the window: a candidate for a move to another cell
     */
    public record HotTenant(UUID tenantId, String handle, String cellId, double share, double requestRate,
                            double requestShare, double dbConnections, double dbShare, Instant hotSince,
                            Instant reportedAt, long hotFor, boolean candidate) {}

    /**
     * The hot shops and the settings they were judged by.
     *
     * @param share                 the share at or above which a shop is hot (0..1)
     * @param window                how long it must stay hot to be a move candidate
     * @param cellShare             the part of a cell its candidates may take before placement avoids it (0..1)
     * @param tenants               move candidates first, then by share
     * @param candidateShareByCell  per cell, the part its move candidates take together
     */
    public record Listing(double share, Duration window, double cellShare, List<HotTenant> tenants,
                          Map<String, Double> candidateShareByCell) {}
}
