package platform.internal.bulkhead;

import java.util.UUID;
import platform.bulkhead.TrafficClass;

/**
 * One unit of work's turn in its tenant's {@link DatabaseTimeBudget} of a class, and the database time its
 * transactions used so far: a request's (charged when the request ends, whatever number of transactions it
 * ran: a staff search is a cheap token lookup and then the search, and the budget is to know the cost of
 * such a request, not of an average of the two), or a single transaction's outside any request.
 * Thread-safe.
 */
final class RequestCost {

    private final DatabaseTimeBudget budget;
    private final UUID tenant;
    private final TrafficClass trafficClass;
    private final DatabaseTimeBudget.Turn turn;
    private long nanos;
    private boolean ended;

    RequestCost(DatabaseTimeBudget budget, UUID tenant, TrafficClass trafficClass, DatabaseTimeBudget.Turn turn) {
        this.budget = budget;
        this.tenant = tenant;
        this.trafficClass = trafficClass;
        this.turn = turn;
    }

    /** Whether a transaction of this tenant and class counts against this turn. */
    boolean covers(UUID tenant, TrafficClass trafficClass) {
        return this.tenant.equals(tenant) && this.trafficClass == trafficClass;
    }

    /** Adds a transaction's database time. */
    synchronized void add(long transactionNanos) {
        nanos += Math.max(0, transactionNanos);
    }

    /** Charges the time used to the tenant's budget, once. */
    synchronized void end(long now) {
        if (!ended) {
            ended = true;
            budget.charge(tenant, turn, nanos, now);
        }
    }

    /** Hands the turn back unused (the work was refused after all), once. */
    synchronized void giveBack() {
        if (!ended) {
            ended = true;
            budget.giveBack(tenant, turn);
        }
    }
}
