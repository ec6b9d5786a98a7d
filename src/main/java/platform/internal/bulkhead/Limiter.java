package platform.internal.bulkhead;

import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import platform.bulkhead.TrafficClass;

/**
 * Counts the permits of a cell node's database work (one per transaction, standing for its
 * connection) and decides who may take one, with no framework: unit-tested as it is.
 *
 * <p>Work of class {@code c} for tenant {@code t} is admitted while all of these hold:
 * <ul>
 *   <li>fewer than {@link ClassLimits#admitBelow()} permits are taken in all (lower for classes of lower
 *       priority, so that the last free permits are kept for the classes before them);</li>
 *   <li>class {@code c} holds fewer than {@link ClassLimits#maxHeld()};</li>
 *   <li>tenant {@code t} holds fewer than its {@link #tenantShare() share}: the capacity divided by one more
 *       than the number of busy tenants (those holding or waiting for a permit), within
 *       [{@link Limits#tenantMin()}, {@link Limits#tenantMax()}]. One tenant alone gets half the capacity
 *       (at most {@code tenantMax}), so another one always finds room; the share shrinks as more tenants
 *       are busy, down to {@code tenantMin}.</li>
 * </ul>
 * Work that is not admitted waits, at most its {@code maxWait}, in its class's queue. A full queue
 * ({@link ClassLimits#maxWaiting()}) refuses new work at once (sheds it), unless the work's tenant has
 * fewer waiting in it than the tenant with the most: then that tenant's latest waiter is refused
 * instead (the longest queue pays), so one tenant's backlog never keeps another tenant's work out of
 * the queue. A permit that comes free goes to the first waiter
 * that may take it, classes in priority order ({@link TrafficClass} order), first come first served
 * within a class; waiters whose tenant is at its share are passed over, so one tenant's backlog never
 * blocks another's work.
 */
final class Limiter {

    /** What an acquisition came to: admitted, or refused for which reason. */
    enum Outcome {
        /** A permit was taken (at once or after waiting). */
        ADMITTED("admitted"),
        /** Refused: the tenant held its share (after waiting, or its waiting places were taken). */
        TENANT_LIMIT("tenant-limit"),
        /** Refused: the class was at its cap or the node too busy for the class (after waiting, or its queue was full). */
        OVERLOADED("overloaded");

        final String tag;

        Outcome(String tag) {
            this.tag = tag;
        }
    }

    /**
     * Limits of one class.
     *
     * @param maxHeld    permits the class may hold at once (at least 1)
     * @param admitBelow the class is admitted only while fewer permits than this are taken in all (1..capacity)
     * @param maxWaiting how many of the class may wait at once; more are refused at once
     */
    record ClassLimits(int maxHeld, int admitBelow, int maxWaiting) {
        ClassLimits {
            if (maxHeld < 1 || admitBelow < 1 || maxWaiting < 0) {
                throw new IllegalArgumentException("invalid class limits " + maxHeld + "/" + admitBelow + "/" + maxWaiting);
            }
        }
    }

    /**
     * All limits.
     *
     * @param capacity  permits in all (the connections of the pool that the bulkhead hands out)
     * @param tenantMax the most one tenant may hold, however idle the node
     * @param tenantMin the least one tenant may always hold, however many are busy
     * @param classes   the limits of every class
     */
    record Limits(int capacity, int tenantMax, int tenantMin, Map<TrafficClass, ClassLimits> classes) {
        Limits {
            if (capacity < 1 || tenantMin < 1 || tenantMax < tenantMin) {
                throw new IllegalArgumentException("invalid limits: capacity " + capacity + ", tenant " + tenantMin + ".." + tenantMax);
            }
            for (TrafficClass c : TrafficClass.values()) {
                if (!classes.containsKey(c)) {
                    throw new IllegalArgumentException("no limits for class " + c);
                }
            }
            classes = Map.copyOf(classes);
        }

        ClassLimits of(TrafficClass c) {
            return classes.get(c);
        }

        /** {@code percent} of the capacity, rounded down, at least 1 and at most the capacity. */
        static int percentOf(int capacity, int percent) {
            return Math.max(1, Math.min(capacity, (int) ((long) capacity * percent / 100)));
        }
    }

    /** A permit taken; give it back exactly once with {@link #release}. */
    static final class Permit {
        final TrafficClass trafficClass;
        final UUID tenant;
        private final TenantState state;
        private boolean released;

        private Permit(TrafficClass trafficClass, TenantState state) {
            this.trafficClass = trafficClass;
            this.state = state;
            this.tenant = state == null ? null : state.id;
        }
    }

    /** Work that was not admitted. */
    static final class Refused extends Exception {
        final Outcome outcome;

        Refused(Outcome outcome) {
            super(outcome.tag, null, false, false);
            this.outcome = outcome;
        }
    }

    /**
     * Counts at one moment (for gauges and the operator's view). {@code waitingForCapacity}: the waiters
     * held back by their class's limits or a busy node, not by their own tenant's share.
     */
    record Snapshot(int capacity, int inFlight, Map<TrafficClass, Integer> held, Map<TrafficClass, Integer> waiting,
                    int busyTenants, int tenantShare, int waitingForCapacity) {}

    private static final class TenantState {
        final UUID id;
        int held;
        int waiting;

        TenantState(UUID id) {
            this.id = id;
        }
    }

    private static final class Waiter {
        final TrafficClass trafficClass;
        final TenantState tenant;
        final Condition wake;
        boolean granted;
        /** Refused while waiting, to make room for another tenant's work. */
        boolean pushedOut;

        Waiter(TrafficClass trafficClass, TenantState tenant, Condition wake) {
            this.trafficClass = trafficClass;
            this.tenant = tenant;
            this.wake = wake;
        }
    }

    private static final TrafficClass[] CLASSES = TrafficClass.values();

    private final Limits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final int[] held = new int[CLASSES.length];
    private final int[] waiting = new int[CLASSES.length];
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Waiter>[] queues = new ArrayDeque[CLASSES.length];
    /** Busy tenants only: an entry is removed when its tenant holds and waits for nothing. */
    private final Map<UUID, TenantState> tenants = new HashMap<>();
    private int inFlight;

    Limiter(Limits limits) {
        this.limits = limits;
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new ArrayDeque<>();
        }
    }

    Limits limits() {
        return limits;
    }

    /**
     * Takes a permit for work of a class and tenant ({@code null}: work for no tenant, limited by its
     * class only), waiting at most {@code maxWaitNanos} for it.
     *
     * @throws Refused when the work is refused (at once, or when the wait ran out)
     * @throws InterruptedException when the thread is interrupted while it waits (it then holds no permit)
     */
    Permit acquire(TrafficClass trafficClass, UUID tenant, long maxWaitNanos) throws Refused, InterruptedException {
        lock.lock();
        try {
            TenantState state = tenant == null ? null : tenants.computeIfAbsent(tenant, TenantState::new);
            Outcome blocked = blocker(trafficClass, state);
            if (blocked == Outcome.ADMITTED) {
                return grant(trafficClass, state);
            }
            int c = trafficClass.ordinal();
            if (maxWaitNanos <= 0 || waiting[c] >= limits.of(trafficClass).maxWaiting() && !pushOutFor(trafficClass, state)) {
                forgetIfIdle(state);
                throw new Refused(blocked);
            }
            Waiter waiter = new Waiter(trafficClass, state, lock.newCondition());
            queues[c].addLast(waiter);
            waiting[c]++;
            if (state != null) {
                state.waiting++;
            }
            long remaining = maxWaitNanos;
            try {
                while (!waiter.granted && !waiter.pushedOut && remaining > 0) {
                    remaining = waiter.wake.awaitNanos(remaining);
                }
            } catch (InterruptedException e) {
                if (waiter.granted) {
                    releaseLocked(new Permit(trafficClass, state));
                } else if (!waiter.pushedOut) {
                    leaveQueue(waiter);
                }
                throw e;
            }
            if (waiter.granted) {
                return new Permit(trafficClass, state);
            }
            if (waiter.pushedOut) {
                throw new Refused(Outcome.TENANT_LIMIT);
            }
            leaveQueue(waiter);
            Outcome reason = blocker(trafficClass, state);
            throw new Refused(reason == Outcome.ADMITTED ? Outcome.OVERLOADED : reason);
        } finally {
            lock.unlock();
        }
    }

    /** Gives a permit back (a second call for the same permit does nothing) and hands it to the first waiter that may take it. */
    void release(Permit permit) {
        lock.lock();
        try {
            releaseLocked(permit);
        } finally {
            lock.unlock();
        }
    }

    /** The permits one tenant may hold now. */
    int tenantShare() {
        lock.lock();
        try {
            return shareFor(tenants.size());
        } finally {
            lock.unlock();
        }
    }

    Snapshot snapshot() {
        lock.lock();
        try {
            Map<TrafficClass, Integer> heldNow = new EnumMap<>(TrafficClass.class);
            Map<TrafficClass, Integer> waitingNow = new EnumMap<>(TrafficClass.class);
            int forCapacity = 0;
            for (TrafficClass c : CLASSES) {
                heldNow.put(c, held[c.ordinal()]);
                waitingNow.put(c, waiting[c.ordinal()]);
                for (Waiter waiter : queues[c.ordinal()]) {
                    if (blocker(c, waiter.tenant) != Outcome.TENANT_LIMIT) {
                        forCapacity++;
                    }
                }
            }
            return new Snapshot(limits.capacity(), inFlight, heldNow, waitingNow, tenants.size(), shareFor(tenants.size()),
                    forCapacity);
        } finally {
            lock.unlock();
        }
    }

    private int shareFor(int busyTenants) {
        int share = (limits.capacity() + busyTenants) / (busyTenants + 1); // capacity / (busy + 1), rounded up
        return Math.max(limits.tenantMin(), Math.min(limits.tenantMax(), share));
    }

    /** {@link Outcome#ADMITTED} if the work may take a permit now, else what stops it. */
    private Outcome blocker(TrafficClass trafficClass, TenantState tenant) {
        if (tenant != null && tenant.held >= shareFor(tenants.size())) {
            return Outcome.TENANT_LIMIT;
        }
        ClassLimits classLimits = limits.of(trafficClass);
        if (inFlight >= Math.min(classLimits.admitBelow(), limits.capacity()) || held[trafficClass.ordinal()] >= classLimits.maxHeld()) {
            return Outcome.OVERLOADED;
        }
        return Outcome.ADMITTED;
    }

    private Permit grant(TrafficClass trafficClass, TenantState tenant) {
        inFlight++;
        held[trafficClass.ordinal()]++;
        if (tenant != null) {
            tenant.held++;
        }
        return new Permit(trafficClass, tenant);
    }

    private void releaseLocked(Permit permit) {
        if (permit.released) {
            return;
        }
        permit.released = true;
        inFlight--;
        held[permit.trafficClass.ordinal()]--;
        if (permit.state != null) {
            permit.state.held--;
            forgetIfIdle(permit.state);
        }
        grantWaiters();
    }

    private void leaveQueue(Waiter waiter) {
        queues[waiter.trafficClass.ordinal()].remove(waiter);
        waiting[waiter.trafficClass.ordinal()]--;
        if (waiter.tenant != null) {
            waiter.tenant.waiting--;
            forgetIfIdle(waiter.tenant);
        }
        grantWaiters(); // a tenant that is no longer busy widens the others' shares
    }

    /**
     * Makes room in a full queue of a class for work of {@code tenant}: refuses the latest waiter of the
     * tenant with the most waiters in it, if that tenant has at least two more waiting than {@code tenant}.
     * One tenant may so fill a queue while no other needs it, and others take their places back from it.
     */
    private boolean pushOutFor(TrafficClass trafficClass, TenantState tenant) {
        if (tenant == null) {
            return false;
        }
        ArrayDeque<Waiter> queue = queues[trafficClass.ordinal()];
        Map<TenantState, Integer> counts = new HashMap<>();
        for (Waiter w : queue) {
            if (w.tenant != null) {
                counts.merge(w.tenant, 1, Integer::sum);
            }
        }
        TenantState heaviest = null;
        int most = 0;
        for (Map.Entry<TenantState, Integer> e : counts.entrySet()) {
            if (e.getValue() > most) {
                most = e.getValue();
                heaviest = e.getKey();
            }
        }
        if (heaviest == null || heaviest == tenant || most < counts.getOrDefault(tenant, 0) + 2) {
            return false;
        }
        for (Iterator<Waiter> it = queue.descendingIterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.tenant == heaviest) {
                it.remove();
                waiting[trafficClass.ordinal()]--;
                heaviest.waiting--;
                forgetIfIdle(heaviest);
                w.pushedOut = true;
                w.wake.signal();
                return true;
            }
        }
        return false;
    }

    /** Hands free permits to waiters: classes in priority order, each class first come first served. */
    private void grantWaiters() {
        for (TrafficClass c : CLASSES) {
            ArrayDeque<Waiter> queue = queues[c.ordinal()];
            for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
                Waiter waiter = it.next();
                Outcome blocked = blocker(c, waiter.tenant);
                if (blocked == Outcome.OVERLOADED) {
                    break; // the class is at its limits: no later waiter of it can pass either
                }
                if (blocked == Outcome.TENANT_LIMIT) {
                    continue; // its tenant holds its share: the next tenant's turn
                }
                it.remove();
                waiting[c.ordinal()]--;
                if (waiter.tenant != null) {
                    waiter.tenant.waiting--;
                }
                grant(c, waiter.tenant);
                waiter.granted = true;
                waiter.wake.signal();
            }
        }
    }

    private void forgetIfIdle(TenantState tenant) {
        if (tenant != null && tenant.held == 0 && tenant.waiting == 0) {
            tenants.remove(tenant.id);
        }
    }
}
