package platform.internal.bulkhead;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How much database time one tenant's work of one traffic class may use: on average {@code rate}
 * seconds of connection time per second, with at most {@code burst} of it in advance (a leaky bucket, as
 * GCRA, whose cost is each unit of work's own time: a request's transactions together, see
 * {@link RequestCost}; called "transaction" below). A transaction's cost is known only
 * when it ends, so each one reserves the tenant's usual cost when it is let in ({@link #reserve}: the
 * next one's turn comes that much later) and is charged the difference when it ends ({@link #charge}).
 * So the turns of a tenant's waiting transactions are spread out, never all at once. Cheap work never
 * notices it; a loop of expensive queries (an unindexed search over a large catalogue) is slowed down to
 * the rate, so that it takes a bounded part of the cell's database however many requests it sends.
 *
 * <p>Until a tenant's first transaction of the class has ended, its usual cost is unknown, and a turn
 * reserving nothing would let a first burst of expensive work (eight full-catalogue searches at once)
 * past the budget together. So while the cost is unknown the tenant's transactions run one at a time:
 * {@link #reserve} answers {@link #AFTER_FIRST} while the first is in flight, and {@link #awaitFirst}
 * waits for it to end. Cheap work hardly notices (its first transaction ends in milliseconds).
 *
 * <p>Thread-safe; no framework, unit-tested as it is. Entries of tenants without debt and with nothing
 * in flight are dropped when the map grows past {@link #MAX_ENTRIES} (a turn taken at that moment on a
 * dropped entry goes uncharged: the budget errs towards the shop, never against it).
 */
final class DatabaseTimeBudget {

    /** Entries kept before those without debt are dropped. */
    static final int MAX_ENTRIES = 10_000;
    /** Weight of a transaction's cost in the tenant's usual cost. */
    static final double USUAL_WEIGHT = 0.3;

    private final double rate;
    private final long toleranceNanos;
    private final Map<UUID, Account> accounts = new ConcurrentHashMap<>();

    /** A tenant's account: when its bucket is empty again, its usual cost, its transactions in flight. */
    private static final class Account {
        long emptyAt;
        double usualNanos;
        /** Whether a transaction has been charged: {@link #usualNanos} is known. */
        boolean known;
        int inFlight;

        Account(long now) {
            emptyAt = now;
        }
    }

    /** A turn given: how long to wait for it, and the cost it reserved (to hand back to {@link #charge}). */
    record Turn(long waitNanos, long reservedNanos) {}

    /** The answer of {@link #reserve} while the tenant's first transaction, of a cost not known yet, is in flight. */
    static final Turn AFTER_FIRST = new Turn(-1, 0);

    /**
     * @param rate       seconds of database time per second one tenant may use on average (> 0)
     * @param burstNanos database time one tenant may use in advance of the rate, in nanoseconds
     */
    DatabaseTimeBudget(double rate, long burstNanos) {
        if (!(rate > 0) || burstNanos < 0) {
            throw new IllegalArgumentException("invalid database time budget: rate " + rate + ", burst " + burstNanos + " ns");
        }
        this.rate = rate;
        this.toleranceNanos = (long) (burstNanos / rate);
    }

    /**
     * The tenant's next turn, from {@code now}: wait {@link Turn#waitNanos()} (0: start at once), then run; the
     * tenant's usual cost is reserved. Null, reserving nothing, when the turn is more than {@code maxWaitNanos} away;
     * {@link #AFTER_FIRST}, reserving nothing, while the tenant's first transaction is in flight and its cost unknown
     * (then {@link #awaitFirst} and ask again).
     */
    Turn reserve(UUID tenant, long now, long maxWaitNanos) {
        Account account = accounts.computeIfAbsent(tenant, t -> new Account(now));
        synchronized (account) {
            if (!account.known && account.inFlight > 0) {
                return AFTER_FIRST;
            }
            long wait = Math.max(0, account.emptyAt - toleranceNanos - now);
            if (wait > maxWaitNanos) {
                return null;
            }
            long reserved = (long) account.usualNanos;
            account.emptyAt = Math.max(account.emptyAt, now) + (long) (reserved / rate);
            account.inFlight++;
            return new Turn(wait, reserved);
        }
    }

    /** Charges a transaction that ran {@code costNanos} of database time and ended at {@code now}, less what its turn reserved. */
    void charge(UUID tenant, Turn turn, long costNanos, long now) {
        Account account = accounts.computeIfAbsent(tenant, t -> new Account(now));
        synchronized (account) {
            long cost = Math.max(0, costNanos);
            long more = (long) ((cost - turn.reservedNanos()) / rate);
            // more than reserved: charged from the transaction's start at the latest (an idle bucket is full, not in
            // credit); less: handed back
            account.emptyAt = more >= 0 ? Math.max(account.emptyAt, now - cost) + more : account.emptyAt + more;
            account.usualNanos = account.known ? account.usualNanos + USUAL_WEIGHT * (cost - account.usualNanos) : cost;
            account.known = true;
            account.inFlight = Math.max(0, account.inFlight - 1);
            account.notifyAll();
        }
        if (accounts.size() > MAX_ENTRIES) {
            accounts.values().removeIf(a -> {
                synchronized (a) {
                    return a.inFlight == 0 && a.emptyAt <= now;
                }
            });
        }
    }

    /** Hands back the reservation of a turn whose transaction never ran (refused after all, interrupted). */
    void giveBack(UUID tenant, Turn turn) {
        Account account = accounts.get(tenant);
        if (account != null) {
            synchronized (account) {
                account.emptyAt -= (long) (turn.reservedNanos() / rate);
                account.inFlight = Math.max(0, account.inFlight - 1);
                account.notifyAll();
            }
        }
    }

    /**
     * Waits, at most {@code maxWaitNanos}, while the tenant's first transaction of the class is in flight and its cost
     * unknown ({@link #reserve} answered {@link #AFTER_FIRST}). True when it has ended (or was handed back): ask for a
     * turn again; false when the wait ran out.
     */
    boolean awaitFirst(UUID tenant, long maxWaitNanos) throws InterruptedException {
        Account account = accounts.get(tenant);
        if (account == null) {
            return true;
        }
        long deadline = System.nanoTime() + maxWaitNanos;
        synchronized (account) {
            while (!account.known && account.inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(account, left);
            }
            return true;
        }
    }

    /** How long the tenant's next transaction of the class would wait now (0: none), reserving nothing. */
    long waitNanos(UUID tenant, long now) {
        Account account = accounts.get(tenant);
        if (account == null) {
            return 0;
        }
        synchronized (account) {
            return Math.max(0, account.emptyAt - toleranceNanos - now);
        }
    }

    /** Tenants with an account (for tests). */
    int size() {
        return accounts.size();
    }
}
