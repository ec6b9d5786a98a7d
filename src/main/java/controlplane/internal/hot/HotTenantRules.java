package controlplane.internal.hot;

import java.util.List;
import tenancy.CellLoad;

/** Which shops of a cell's report are hot (pure: the settings and the report only). */
final class HotTenantRules {

    private final double share;
    private final double minRequestRate;
    private final double minDbConnections;

    HotTenantRules(double share, double minRequestRate, double minDbConnections) {
        this.share = share;
        this.minRequestRate = minRequestRate;
        this.minDbConnections = minDbConnections;
    }

    static HotTenantRules of(HotTenantConfig config) {
        return new HotTenantRules(config.share() / 100.0, config.minRequestRate(), config.minDbConnections());
    }

    /** The shops of {@code load} that are hot now: a share at or above the threshold, with load enough to count. */
    List<CellLoad.TenantShare> hot(CellLoad load) {
        return load.heaviest().stream().filter(this::isHot).toList();
    }

    boolean isHot(CellLoad.TenantShare tenant) {
        return tenant.tenantId() != null && tenant.share() >= share
                && (tenant.requestRate() >= minRequestRate || tenant.dbConnections() >= minDbConnections);
    }
}
