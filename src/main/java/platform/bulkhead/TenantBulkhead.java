package platform.bulkhead;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import platform.ProblemException;
import platform.load.RecentLoad;

/**
 * Bulkheads inside a cell node: the database work of one tenant, and of one {@link TrafficClass},
 * may hold only its share of the node's connection pool, and waits for it at most a short, bounded
 * time before it is refused with 503 and {@code Retry-After}. A tenant's share grows while few
 * tenants are busy and shrinks when many are; each class has its own cap, and classes of lower
 * priority stop being admitted earlier as the pool fills up (checkouts have capacity reserved). See
 * docs/adr/0017-bulkheads-and-traffic-classes-in-a-cell.md.
 *
 * <p>Admission is per database transaction: a transaction is admitted once, before its first
 * statement, and gives its place back when it completes. On other roles than the cell it admits
 * everything.
 */
public interface TenantBulkhead {

    /**
     * Admits the current transaction's database work, for a tenant (empty: work for no tenant, such
     * as the outbox relay) in the current unit of work's {@link #currentClass() class}; once per
     * transaction (a later call in the same transaction returns the first admission). Call it inside
     * the transaction before its first statement, so that a wait holds no connection.
     *
     * @return the limits the transaction's statements are to run under
     * @throws ProblemException 503 with {@code Retry-After} when the work is refused
     * @throws IllegalStateException when no transaction is active
     */
    Admission admitTransaction(Optional<UUID> tenant);

    /** The class of the current unit of work: the request's, else {@link TrafficClass#BACKGROUND}. */
    TrafficClass currentClass();

    /**
     * Binds the current transaction's connection to a tenant, in one round trip: row-level security admits only the
     * tenant's rows from then on ({@code app.tenant_id}), and the statements run under the admitted {@code limits};
     * every setting is transaction-local. Once per transaction and tenant: a later call for the same tenant in the same
     * transaction sends nothing.
     */
    void bindTenant(Connection connection, UUID tenant, Admission limits) throws SQLException;

    /** Whether the current transaction's connection is bound to this tenant by {@link #bindTenant}. */
    boolean boundTo(UUID tenant);

    /**
     * The problem to answer for a failure that means the database refused or could not do the
     * work within this node's limits: a statement cut by its class's statement timeout (SQLState
     * 57014), a lock not granted within its lock timeout (55P03), no connection free, or a database
     * that cannot be reached. Always a 503 with {@code Retry-After}; empty for any other failure.
     */
    Optional<ProblemException> refusal(Throwable failure);

    /**
     * Transactions waiting for their turn now because their class is at its limits or the node is too
     * busy for their class, not because their own tenant holds its share: together with the pool's own
     * waiters, the node's "waiting for a database connection" (0 on other roles than the cell).
     */
    int waitingForCapacity();

    /**
     * The tenants that held the most database time recently (the last full window and the running
     * one), heaviest first, at most {@code limit}: a bounded summary (a heavy-hitters sketch, not one
     * entry per tenant) in which every tenant that took a noticeable part of the pool is found.
     */
    List<TenantLoad> heaviestTenants(int limit);

    /**
     * The same period's database time in nanoseconds: the heaviest tenants (at most {@code limit}) and the
     * total of every tenant's transactions (work for no tenant not counted), for shares of the node's
     * database time; empty on other roles than the cell.
     */
    RecentLoad.Summary recentDatabaseTime(int limit);

    /**
     * The limits of an admitted transaction.
     *
     * @param trafficClass     its class
     * @param statementTimeout the longest any statement may run ({@code statement_timeout}, lock waits included)
     * @param lockTimeout      the longest any statement may wait for a lock ({@code lock_timeout})
     * @param parallelWorkers  the most worker processes one query may use besides its own ({@code max_parallel_workers_per_gather})
     * @param genericPlans     prepared statements run with their generic plan, never planned again per execution
     *                         ({@code plan_cache_mode = force_generic_plan}), else PostgreSQL chooses ({@code auto})
     */
    record Admission(TrafficClass trafficClass, Duration statementTimeout, Duration lockTimeout, int parallelWorkers,
                     boolean genericPlans) {

        /**
         * The select-list items that set the class's limits for the rest of the transaction, to follow a caller's own
         * {@code set_config} in one round trip; their four parameters are bound by {@link #bindLimits}.
         */
        public static final String SET_LIMITS = "set_config('statement_timeout', ?, true), set_config('lock_timeout', ?, true),"
                + " set_config('max_parallel_workers_per_gather', ?, true), set_config('plan_cache_mode', ?, true)";
        /** Binds {@link #SET_LIMITS}' parameters, the first at {@code first}. */
        public void bindLimits(PreparedStatement statement, int first) throws SQLException {
            statement.setString(first, statementTimeoutSetting());
            statement.setString(first + 1, lockTimeoutSetting());
            statement.setString(first + 2, parallelWorkersSetting());
            statement.setString(first + 3, planCacheModeSetting());
        }

        /** PostgreSQL's value of {@code statement_timeout} (milliseconds; 0 turns it off). */
        public String statementTimeoutSetting() {
            return Long.toString(statementTimeout.toMillis());
        }

        /** PostgreSQL's value of {@code lock_timeout} (milliseconds; 0 turns it off). */
        public String lockTimeoutSetting() {
            return Long.toString(lockTimeout.toMillis());
        }

        /** PostgreSQL's value of {@code max_parallel_workers_per_gather}. */
        public String parallelWorkersSetting() {
            return Integer.toString(Math.max(0, parallelWorkers));
        }

        /** PostgreSQL's value of {@code plan_cache_mode}. */
        public String planCacheModeSetting() {
            return genericPlans ? "force_generic_plan" : "auto";
        }
    }

    /**
     * A tenant's recent database time.
     *
     * @param tenantId     the tenant
     * @param databaseTime time its transactions held connections (summed over concurrent ones), a lower bound
     * @param over         the period it was counted over
     */
    record TenantLoad(UUID tenantId, Duration databaseTime, Duration over) {

        /** The connections the tenant held on average over the period. */
        public double connections() {
            return over.isZero() ? 0 : (double) databaseTime.toNanos() / over.toNanos();
        }
    }
}
