package platform.internal.bulkhead;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import platform.bulkhead.TrafficClass;

/**
 * Settings of a cell node's bulkheads ({@code CELL_BULKHEAD_*}): how much of the node's database
 * connection pool ({@code DB_POOL_MAX}) one tenant and one traffic class may hold, how long work
 * waits for its turn, and the statement and lock timeouts of each class. Percentages are of the
 * bulkhead's capacity, the pool less {@link #headroom()}. See {@link Limiter}.
 */
@ConfigMapping(prefix = "storefront.bulkhead")
public interface BulkheadConfig {

    /**
     * Whether database work is admitted by the bulkhead at all ({@code CELL_BULKHEAD_ENABLED}, default
     * true); false admits everything (the timeouts of each class still apply).
     */
    @WithDefault("true")
    boolean enabled();

    /**
     * Connections of the pool the bulkhead never hands out ({@code CELL_BULKHEAD_HEADROOM}, default 2):
     * kept for the database work outside tenant transactions (host lookups of the tenant directory,
     * the breaker's probe).
     */
    @WithDefault("2")
    int headroom();

    /**
     * The most of the capacity one tenant may hold, in percent, however idle the node is
     * ({@code CELL_BULKHEAD_TENANT_MAX_SHARE}, default 50).
     */
    @WithDefault("50")
    int tenantMaxShare();

    /**
     * Connections one tenant may always hold, however many tenants are busy
     * ({@code CELL_BULKHEAD_TENANT_MIN}, default 2).
     */
    @WithDefault("2")
    int tenantMin();

    /** Limits of checkouts ({@code CELL_BULKHEAD_CHECKOUT_*}). */
    ClassSettings checkout();

    /** Limits of background work ({@code CELL_BULKHEAD_BACKGROUND_*}). */
    ClassSettings background();

    /** Limits of carts ({@code CELL_BULKHEAD_CART_*}). */
    ClassSettings cart();

    /** Limits of storefront reads ({@code CELL_BULKHEAD_BROWSE_*}). */
    ClassSettings browse();

    /** Limits of the merchant admin ({@code CELL_BULKHEAD_ADMIN_*}). */
    ClassSettings admin();

    /** Limits of the merchant's listings, searches and reports ({@code CELL_BULKHEAD_REPORT_*}). */
    ClassSettings report();

    default ClassSettings of(TrafficClass trafficClass) {
        return switch (trafficClass) {
            case CHECKOUT -> checkout();
            case BACKGROUND -> background();
            case CART -> cart();
            case BROWSE -> browse();
            case ADMIN -> admin();
            case REPORT -> report();
        };
    }

    /** The limits of one traffic class (defaults in application.properties, one set per class). */
    interface ClassSettings {

        /** The most of the capacity the class may hold at once, in percent ({@code ..._MAX_SHARE}). */
        int maxShare();

        /**
         * The class is admitted only while less than this part of the capacity is taken in all, in
         * percent ({@code ..._ADMIT_BELOW}): below 100, the rest is kept for the classes before it.
         */
        int admitBelow();

        /** How many of the class's transactions may wait for their turn at once; more are refused at once ({@code ..._MAX_WAITING}). */
        int maxWaiting();

        /** The longest a transaction of the class waits for its turn, then it is refused with 503 ({@code ..._MAX_WAIT}). */
        Duration maxWait();

        /** {@code statement_timeout} of the class's transactions ({@code ..._STATEMENT_TIMEOUT}; 0: none). */
        Duration statementTimeout();

        /** {@code lock_timeout} of the class's transactions ({@code ..._LOCK_TIMEOUT}; 0: none). */
        Duration lockTimeout();

        /**
         * {@code max_parallel_workers_per_gather} of the class's transactions ({@code ..._PARALLEL_WORKERS}): 0 keeps
         * each query in one database process, so that one tenant's large scan cannot take several cores at once.
         */
        int parallelWorkers();

        /**
         * Whether the class's prepared statements run with their generic plan ({@code ..._GENERIC_PLANS}: PostgreSQL's
         * {@code plan_cache_mode = force_generic_plan}), else PostgreSQL plans them again per execution while it
         * finds its custom plans cheaper ({@code auto}). A statement over the hash-partitioned tenant tables with
         * the tenant as a parameter always looks cheaper custom-planned, and planning it costs more than running it.
         */
        boolean genericPlans();

        /**
         * Seconds of database time per second that one tenant's transactions of the class may use on average
         * ({@code ..._TENANT_DATABASE_TIME}; 0: no limit); a tenant over it waits before its next one
         * ({@link DatabaseTimeBudget}), or is answered 429 with Retry-After when that wait is longer than {@link #maxWait()}.
         */
        double tenantDatabaseTime();

        /** Database time one tenant may use in advance of {@link #tenantDatabaseTime()} ({@code ..._TENANT_DATABASE_TIME_BURST}). */
        Duration tenantDatabaseTimeBurst();
    }
}
