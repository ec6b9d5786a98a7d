package controlplane.internal.hot;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * When a shop counts as hot on its cell ({@code HOT_TENANT_*}): its share of the cell's load, how long it
 * must keep it to become a move candidate, and the least load that counts at all; and when a cell with
 * hot shops stops taking new ones. See docs/adr/0018-hot-tenant-detection.md.
 */
@ConfigMapping(prefix = "controlplane.hot-tenants")
public interface HotTenantConfig {

    /**
     * The share of its cell's load (requests or database time, whichever is larger) at or above which a
     * shop is hot, in percent ({@code HOT_TENANT_SHARE}, default 10).
     */
    @WithDefault("10")
    @Min(1)
    @Max(100)
    int share();

    /**
     * How long a shop must stay hot, in every report of its cell, to be listed as a move candidate
     * ({@code HOT_TENANT_WINDOW}, default 5 minutes).
     */
    @WithDefault("5m")
    Duration window();

    /**
     * Requests per second a shop must serve for its share to count ({@code HOT_TENANT_MIN_REQUEST_RATE},
     * default 5): on an idle cell the only active shop has every share and troubles nobody.
     */
    @WithDefault("5")
    double minRequestRate();

    /**
     * ... or database connections it must hold on average ({@code HOT_TENANT_MIN_DB_CONNECTIONS}, default 0.5).
     */
    @WithDefault("0.5")
    double minDbConnections();

    /**
     * The part of a cell's load its move candidates may take together, in percent, at or above which
     * placement puts no new shop on it ({@code HOT_CELL_SHARE}, default 50: they use most of it).
     */
    @WithDefault("50")
    @Min(1)
    @Max(100)
    int cellShare();
}
