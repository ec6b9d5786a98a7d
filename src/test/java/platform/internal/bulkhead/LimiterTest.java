package platform.internal.bulkhead;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import platform.bulkhead.TrafficClass;

class LimiterTest {

    static final long NO_WAIT = 0;
    static final long LONG_WAIT = TimeUnit.SECONDS.toNanos(30);

    final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    /** Limits where every class may use all of the capacity, unless overridden. */
    static Limiter.Limits limits(int capacity, int tenantMax, int tenantMin, Map<TrafficClass, Limiter.ClassLimits> overrides) {
        Map<TrafficClass, Limiter.ClassLimits> classes = new EnumMap<>(TrafficClass.class);
        for (TrafficClass c : TrafficClass.values()) {
            classes.put(c, overrides.getOrDefault(c, new Limiter.ClassLimits(capacity, capacity, 100)));
        }
        return new Limiter.Limits(capacity, tenantMax, tenantMin, classes);
    }

    static Limiter limiter(int capacity, int tenantMax, int tenantMin) {
        return new Limiter(limits(capacity, tenantMax, tenantMin, Map.of()));
    }

    @Test
    void aTenantAloneGetsHalfTheCapacityAndAnotherTenantFindsRoom() throws Exception {
        Limiter limiter = limiter(18, 9, 2);
        UUID hot = UUID.randomUUID();
        List<Limiter.Permit> held = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            held.add(limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT));
        }
        Limiter.Refused refused = assertThrows(Limiter.Refused.class, () -> limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT));
        assertEquals(Limiter.Outcome.TENANT_LIMIT, refused.outcome);
        // another tenant is admitted at once, while the first holds its share
        Limiter.Permit other = limiter.acquire(TrafficClass.CART, UUID.randomUUID(), NO_WAIT);
        assertEquals(10, limiter.snapshot().inFlight());
        limiter.release(other);
        held.forEach(limiter::release);
        assertEquals(0, limiter.snapshot().inFlight());
        assertEquals(0, limiter.snapshot().busyTenants());
    }

    @Test
    void theShareShrinksAsMoreTenantsAreBusyAndGrowsBackWhenTheyLeave() throws Exception {
        Limiter limiter = limiter(18, 9, 2);
        assertEquals(9, limiter.tenantShare(), "nobody busy: one tenant may take half");
        List<Limiter.Permit> permits = new ArrayList<>();
        permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        assertEquals(9, limiter.tenantShare(), "one busy: 18 / 2");
        permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        assertEquals(6, limiter.tenantShare(), "two busy: 18 / 3");
        permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        assertEquals(5, limiter.tenantShare(), "three busy: 18 / 4, rounded up");
        for (int i = 0; i < 10; i++) {
            permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        }
        assertEquals(2, limiter.tenantShare(), "many busy: never below the minimum");
        permits.forEach(limiter::release);
        assertEquals(9, limiter.tenantShare());
    }

    @Test
    void aTenantAboveItsShrunkShareWaitsUntilItIsBelowIt() throws Exception {
        Limiter limiter = limiter(18, 9, 2);
        UUID hot = UUID.randomUUID();
        List<Limiter.Permit> hotPermits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            hotPermits.add(limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT));
        }
        Limiter.Permit b = limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT);
        Limiter.Permit c = limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT);
        assertEquals(5, limiter.tenantShare());
        // the hot tenant holds 9 > 5: releasing one of them does not let it take another
        limiter.release(hotPermits.remove(0));
        assertThrows(Limiter.Refused.class, () -> limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT));
        limiter.release(b);
        limiter.release(c);
        assertEquals(9, limiter.tenantShare());
        hotPermits.add(limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT));
        hotPermits.forEach(limiter::release);
    }

    @Test
    void aClassHoldsAtMostItsCap() throws Exception {
        Limiter limiter = new Limiter(limits(10, 10, 1, Map.of(TrafficClass.BROWSE, new Limiter.ClassLimits(3, 10, 8))));
        List<Limiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        }
        Limiter.Refused refused = assertThrows(Limiter.Refused.class,
                () -> limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        assertEquals(Limiter.Outcome.OVERLOADED, refused.outcome);
        permits.add(limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT));
        permits.forEach(limiter::release);
    }

    @Test
    void classesOfLowerPriorityStopEarlierAsThePoolFillsAndCheckoutsKeepTheirReserve() throws Exception {
        // admin below 6 of 10 taken, browse below 7, cart below 8, checkout up to all 10
        Limiter limiter = new Limiter(limits(10, 10, 1, Map.of(
                TrafficClass.ADMIN, new Limiter.ClassLimits(10, 6, 8),
                TrafficClass.BROWSE, new Limiter.ClassLimits(10, 7, 8),
                TrafficClass.CART, new Limiter.ClassLimits(10, 8, 8))));
        List<Limiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        }
        assertRefused(limiter, TrafficClass.ADMIN);
        permits.add(limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT));
        assertRefused(limiter, TrafficClass.BROWSE);
        permits.add(limiter.acquire(TrafficClass.CART, UUID.randomUUID(), NO_WAIT));
        assertRefused(limiter, TrafficClass.CART);
        permits.add(limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT));
        permits.add(limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT));
        assertRefused(limiter, TrafficClass.CHECKOUT);
        permits.forEach(limiter::release);
    }

    @Test
    void aFreedPermitGoesToTheWaiterOfTheHighestPriorityFirst() throws Exception {
        Limiter limiter = limiter(2, 2, 1);
        Limiter.Permit first = limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT);
        Limiter.Permit second = limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT);
        Future<Limiter.Permit> admin = waitFor(limiter, TrafficClass.ADMIN, UUID.randomUUID());
        awaitWaiting(limiter, TrafficClass.ADMIN, 1);
        Future<Limiter.Permit> browse = waitFor(limiter, TrafficClass.BROWSE, UUID.randomUUID());
        awaitWaiting(limiter, TrafficClass.BROWSE, 1);
        Future<Limiter.Permit> checkout = waitFor(limiter, TrafficClass.CHECKOUT, UUID.randomUUID());
        awaitWaiting(limiter, TrafficClass.CHECKOUT, 1);

        limiter.release(first);
        Limiter.Permit checkoutPermit = checkout.get(30, TimeUnit.SECONDS);
        assertFalse(browse.isDone() || admin.isDone(), "checkout first, although it came last");
        limiter.release(second);
        Limiter.Permit browsePermit = browse.get(30, TimeUnit.SECONDS);
        assertFalse(admin.isDone(), "browse before admin");
        limiter.release(checkoutPermit);
        limiter.release(admin.get(30, TimeUnit.SECONDS));
        limiter.release(browsePermit);
        assertEquals(0, limiter.snapshot().inFlight());
    }

    @Test
    void aWaiterWhoseTenantHoldsItsShareIsPassedOverForAnotherTenant() throws Exception {
        Limiter limiter = limiter(4, 2, 1);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Limiter.Permit a1 = limiter.acquire(TrafficClass.CHECKOUT, a, NO_WAIT);
        Limiter.Permit a2 = limiter.acquire(TrafficClass.CHECKOUT, a, NO_WAIT);
        Limiter.Permit b1 = limiter.acquire(TrafficClass.CHECKOUT, b, NO_WAIT);
        Limiter.Permit b2 = limiter.acquire(TrafficClass.CHECKOUT, b, NO_WAIT);
        Future<Limiter.Permit> aWaits = waitFor(limiter, TrafficClass.CHECKOUT, a);
        awaitWaiting(limiter, TrafficClass.CHECKOUT, 1);
        Future<Limiter.Permit> bWaits = waitFor(limiter, TrafficClass.CHECKOUT, b);
        awaitWaiting(limiter, TrafficClass.CHECKOUT, 2);

        limiter.release(b1); // a is still at its share (2 of 4 with two tenants busy): b's waiter goes first
        Limiter.Permit b3 = bWaits.get(30, TimeUnit.SECONDS);
        assertFalse(aWaits.isDone());
        limiter.release(a1);
        Limiter.Permit a3 = aWaits.get(30, TimeUnit.SECONDS);
        for (Limiter.Permit p : List.of(a2, a3, b2, b3)) {
            limiter.release(p);
        }
        assertEquals(0, limiter.snapshot().busyTenants());
    }

    @Test
    void aWaitThatRunsOutIsRefusedWithItsReasonAndLeavesNothingBehind() throws Exception {
        Limiter limiter = limiter(2, 1, 1);
        UUID tenant = UUID.randomUUID();
        Limiter.Permit held = limiter.acquire(TrafficClass.CART, tenant, NO_WAIT);
        Limiter.Refused refused = assertThrows(Limiter.Refused.class,
                () -> limiter.acquire(TrafficClass.CART, tenant, TimeUnit.MILLISECONDS.toNanos(50)));
        assertEquals(Limiter.Outcome.TENANT_LIMIT, refused.outcome);
        assertEquals(0, limiter.snapshot().waiting().get(TrafficClass.CART));
        limiter.release(held);
        limiter.release(held); // twice: nothing more given back
        Limiter.Snapshot idle = limiter.snapshot();
        assertEquals(0, idle.inFlight());
        assertEquals(0, idle.busyTenants());
        assertEquals(0, idle.held().get(TrafficClass.CART));
    }

    @Test
    void aFullQueueShedsAtOnce() throws Exception {
        Limiter limiter = new Limiter(limits(1, 1, 1, Map.of(TrafficClass.BROWSE, new Limiter.ClassLimits(1, 1, 1))));
        Limiter.Permit held = limiter.acquire(TrafficClass.BROWSE, UUID.randomUUID(), NO_WAIT);
        UUID waiting = UUID.randomUUID();
        Future<Limiter.Permit> queued = waitFor(limiter, TrafficClass.BROWSE, waiting);
        awaitWaiting(limiter, TrafficClass.BROWSE, 1);
        // the same tenant as the one waiting: the queue is full for it
        long started = System.nanoTime();
        Limiter.Refused refused = assertThrows(Limiter.Refused.class, () -> limiter.acquire(TrafficClass.BROWSE, waiting, LONG_WAIT));
        assertEquals(Limiter.Outcome.OVERLOADED, refused.outcome);
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(10), "refused at once, not after its wait");
        limiter.release(held);
        limiter.release(queued.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aTenantThatFillsAQueueGivesPlacesBackToAnotherTenant() throws Exception {
        Limiter limiter = new Limiter(limits(2, 1, 1, Map.of(TrafficClass.CHECKOUT, new Limiter.ClassLimits(2, 2, 3))));
        UUID hot = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        Limiter.Permit hotHeld = limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT);
        Limiter.Permit busy = limiter.acquire(TrafficClass.CHECKOUT, UUID.randomUUID(), NO_WAIT);
        List<Future<Limiter.Permit>> hotWaiters = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            hotWaiters.add(waitFor(limiter, TrafficClass.CHECKOUT, hot));
            awaitWaiting(limiter, TrafficClass.CHECKOUT, i);
        }
        Future<Limiter.Permit> otherWaits = waitFor(limiter, TrafficClass.CHECKOUT, other);
        // the hot tenant's latest waiter is refused to make room
        java.util.concurrent.ExecutionException pushedOut = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> hotWaiters.get(2).get(30, TimeUnit.SECONDS));
        assertEquals(Limiter.Outcome.TENANT_LIMIT, ((Limiter.Refused) pushedOut.getCause()).outcome);
        assertEquals(3, limiter.snapshot().waiting().get(TrafficClass.CHECKOUT));
        limiter.release(busy); // the hot tenant holds its share (1): the other tenant's waiter goes
        Limiter.Permit otherPermit = otherWaits.get(30, TimeUnit.SECONDS);
        limiter.release(otherPermit);
        limiter.release(hotHeld);
        limiter.release(hotWaiters.get(0).get(30, TimeUnit.SECONDS));
        limiter.release(hotWaiters.get(1).get(30, TimeUnit.SECONDS));
        assertEquals(0, limiter.snapshot().inFlight());
        assertEquals(0, limiter.snapshot().busyTenants());
    }

    @Test
    void waitersHeldBackByTheNodeCountAsWaitingForCapacityThoseOfAShopAtItsShareDoNot() throws Exception {
        Limiter limiter = limiter(4, 2, 1);
        UUID hot = UUID.randomUUID();
        Limiter.Permit h1 = limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT);
        Limiter.Permit h2 = limiter.acquire(TrafficClass.CHECKOUT, hot, NO_WAIT);
        Future<Limiter.Permit> ownShare = waitFor(limiter, TrafficClass.CHECKOUT, hot);
        awaitWaiting(limiter, TrafficClass.CHECKOUT, 1);
        assertEquals(0, limiter.snapshot().waitingForCapacity(), "the node has room: only the shop is at its share");
        Limiter.Permit o1 = limiter.acquire(TrafficClass.CART, UUID.randomUUID(), NO_WAIT);
        Limiter.Permit o2 = limiter.acquire(TrafficClass.CART, UUID.randomUUID(), NO_WAIT);
        Future<Limiter.Permit> forCapacity = waitFor(limiter, TrafficClass.BROWSE, UUID.randomUUID());
        awaitWaiting(limiter, TrafficClass.BROWSE, 1);
        assertEquals(1, limiter.snapshot().waitingForCapacity(), "the node is full for browse");
        limiter.release(o1);
        limiter.release(forCapacity.get(30, TimeUnit.SECONDS));
        limiter.release(h1);
        limiter.release(ownShare.get(30, TimeUnit.SECONDS));
        limiter.release(h2);
        limiter.release(o2);
        assertEquals(0, limiter.snapshot().inFlight());
    }

    @Test
    void workForNoTenantIsLimitedByItsClassOnly() throws Exception {
        Limiter limiter = new Limiter(limits(10, 2, 1, Map.of(TrafficClass.BACKGROUND, new Limiter.ClassLimits(3, 8, 4))));
        List<Limiter.Permit> permits = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            permits.add(limiter.acquire(TrafficClass.BACKGROUND, null, NO_WAIT));
        }
        assertRefused(limiter, TrafficClass.BACKGROUND);
        assertEquals(0, limiter.snapshot().busyTenants());
        permits.forEach(limiter::release);
    }

    @Test
    void manyThreadsNeverExceedTheLimits() throws Exception {
        int capacity = 8;
        int tenantMax = 4;
        Limiter limiter = new Limiter(limits(capacity, tenantMax, 1, Map.of(
                TrafficClass.BROWSE, new Limiter.ClassLimits(5, 6, 16),
                TrafficClass.ADMIN, new Limiter.ClassLimits(2, 5, 4))));
        List<UUID> tenants = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        Map<UUID, AtomicInteger> perTenant = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger violations = new AtomicInteger();
        AtomicInteger admitted = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < 24; w++) {
            workers.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < 300; i++) {
                    TrafficClass c = TrafficClass.values()[random.nextInt(TrafficClass.values().length)];
                    UUID tenant = tenants.get(random.nextInt(tenants.size()));
                    Limiter.Permit permit;
                    try {
                        permit = limiter.acquire(c, tenant, TimeUnit.MILLISECONDS.toNanos(random.nextInt(5)));
                    } catch (Limiter.Refused refused) {
                        continue;
                    }
                    admitted.incrementAndGet();
                    int total = inFlight.incrementAndGet();
                    int mine = perTenant.computeIfAbsent(tenant, t -> new AtomicInteger()).incrementAndGet();
                    if (total > capacity || mine > tenantMax) {
                        violations.incrementAndGet();
                    }
                    Thread.onSpinWait();
                    perTenant.get(tenant).decrementAndGet();
                    inFlight.decrementAndGet();
                    limiter.release(permit);
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(2, TimeUnit.MINUTES);
        }
        assertEquals(0, violations.get());
        assertTrue(admitted.get() > 0);
        Limiter.Snapshot idle = limiter.snapshot();
        assertEquals(0, idle.inFlight());
        assertEquals(0, idle.busyTenants());
        for (TrafficClass c : TrafficClass.values()) {
            assertEquals(0, idle.held().get(c));
            assertEquals(0, idle.waiting().get(c));
        }
    }

    @Test
    void percentagesOfTheCapacityRoundDownButNeverToNothing() {
        assertEquals(9, Limiter.Limits.percentOf(18, 50));
        assertEquals(12, Limiter.Limits.percentOf(18, 70));
        assertEquals(1, Limiter.Limits.percentOf(3, 10));
        assertEquals(18, Limiter.Limits.percentOf(18, 150));
    }

    private static void assertRefused(Limiter limiter, TrafficClass c) {
        Limiter.Refused refused = assertThrows(Limiter.Refused.class, () -> limiter.acquire(c, UUID.randomUUID(), NO_WAIT), c + " refused");
        assertEquals(Limiter.Outcome.OVERLOADED, refused.outcome);
    }

    private Future<Limiter.Permit> waitFor(Limiter limiter, TrafficClass c, UUID tenant) {
        return threads.submit(() -> limiter.acquire(c, tenant, LONG_WAIT));
    }

    private static void awaitWaiting(Limiter limiter, TrafficClass c, int count) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                .until(() -> limiter.snapshot().waiting().get(c) == count);
    }
}
