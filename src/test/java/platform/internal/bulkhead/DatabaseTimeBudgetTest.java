package platform.internal.bulkhead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A tenant's database time budget of a class: its burst, its rate, other tenants untouched, bounded memory. */
class DatabaseTimeBudgetTest {

    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();
    static final long MS = Duration.ofMillis(1).toNanos();
    static final long S = Duration.ofSeconds(1).toNanos();

    @Test
    void cheapWorkNeverWaits() {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.25, 2 * S);
        long now = 0;
        for (int i = 0; i < 1_000; i++) {
            DatabaseTimeBudget.Turn turn = budget.reserve(A, now, 0);
            assertEquals(0, turn.waitNanos());
            budget.charge(A, turn, 2 * MS, now + 2 * MS); // 2 ms of work every 10 ms: 0.2 s per second, below the rate
            now += 10 * MS;
        }
    }

    @Test
    void expensiveWorkWaitsOnceItsBurstIsSpentAndThenKeepsToTheRate() {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.25, 2 * S);
        long now = 0;
        // 150 ms searches back to back: each spends 150 ms of the burst (2 s of database time) and refills 37.5 ms of it
        // at the rate, so about 2 s / 112.5 ms = 18 run before the first wait
        int beforeWaiting = 0;
        while (true) {
            DatabaseTimeBudget.Turn turn = budget.reserve(A, now, Long.MAX_VALUE);
            if (turn.waitNanos() > 0) {
                now += turn.waitNanos() + 150 * MS;
                budget.charge(A, turn, 150 * MS, now);
                break;
            }
            now += 150 * MS;
            budget.charge(A, turn, 150 * MS, now);
            beforeWaiting++;
        }
        assertTrue(beforeWaiting >= 17 && beforeWaiting <= 19, "searches before the first wait: " + beforeWaiting);
        // from then on each search waits for its 600 ms (150 ms at 0.25 s per second) less its own 150 ms
        long waited = 0;
        for (int i = 0; i < 100; i++) {
            DatabaseTimeBudget.Turn turn = budget.reserve(A, now, Long.MAX_VALUE);
            waited += turn.waitNanos();
            now += turn.waitNanos() + 150 * MS;
            budget.charge(A, turn, 150 * MS, now);
        }
        assertEquals(100 * 450 * MS, waited, 2 * 150 * MS, "waits keep the tenant to 0.25 s of database time per second");
        // another tenant is not affected
        assertEquals(0, budget.reserve(B, now, 0).waitNanos());
    }

    @Test
    void concurrentWaitersGetTurnsSpreadByTheUsualCostAndTheFarOnesAreRefused() {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.25, 0);
        long now = 0;
        // one 150 ms search: the tenant's usual cost, and 600 ms of debt
        DatabaseTimeBudget.Turn first = budget.reserve(A, now, S);
        now += 150 * MS;
        budget.charge(A, first, 150 * MS, now);
        // eight arrive at once: each turn comes 600 ms after the one before it; more than 2 s away, refused
        long[] waits = new long[8];
        int refused = 0;
        for (int i = 0; i < waits.length; i++) {
            DatabaseTimeBudget.Turn turn = budget.reserve(A, now, 2 * S);
            if (turn == null) {
                refused++;
            } else {
                waits[i] = turn.waitNanos();
            }
        }
        assertEquals(450 * MS, waits[0], MS);
        assertEquals(1050 * MS, waits[1], MS);
        assertEquals(1650 * MS, waits[2], MS);
        assertEquals(5, refused, "turns more than 2 s away are refused");
    }

    @Test
    void whileTheFirstCostIsUnknownTheTenantsWorkRunsOneAtATime() throws Exception {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.25, S / 2);
        long now = 0;
        DatabaseTimeBudget.Turn first = budget.reserve(A, now, S);
        assertEquals(0, first.waitNanos());
        // the first search's cost is not known yet: the next ones wait for it, whatever the burst would allow
        assertSame(DatabaseTimeBudget.AFTER_FIRST, budget.reserve(A, now, S));
        assertFalse(budget.awaitFirst(A, MS), "the wait runs out while the first is in flight");
        assertEquals(0, budget.reserve(B, now, 0).waitNanos(), "another tenant is not held back");
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.awaitFirst(A, Duration.ofSeconds(30).toNanos());
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // it ends after 1 s: its cost is the usual one, and the next turns are spread by it (4 s each at 0.25 s per
        // second, 2 s in advance)
        now += S;
        budget.charge(A, first, S, now);
        assertTrue(waiter.get(30, TimeUnit.SECONDS), "the waiter is woken when the first ends");
        assertEquals(S, budget.reserve(A, now, 2 * S).waitNanos());
        assertNull(budget.reserve(A, now, 2 * S), "the next is more than 2 s away");
    }

    @Test
    void aFirstTurnHandedBackLetsTheNextOneBeFirst() throws Exception {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.25, S / 2);
        DatabaseTimeBudget.Turn first = budget.reserve(A, 0, S);
        assertSame(DatabaseTimeBudget.AFTER_FIRST, budget.reserve(A, 0, S));
        budget.giveBack(A, first);
        assertTrue(budget.awaitFirst(A, 0));
        assertEquals(0, budget.reserve(A, 0, S).waitNanos());
    }

    @Test
    void aBudgetRefillsWhileTheTenantIsIdle() {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(0.5, S);
        budget.charge(A, budget.reserve(A, 0, 0), 3 * S, 3 * S);
        // 3 s of work from 0 at 0.5 s per second is 6 s of time; 1 s in advance (2 s of time) is allowed
        assertEquals(S, budget.waitNanos(A, 3 * S));
        assertEquals(0, budget.waitNanos(A, 4 * S));
    }

    @Test
    void tenantsWithoutDebtAreForgottenWhenTheMapGrows() {
        DatabaseTimeBudget budget = new DatabaseTimeBudget(1, 0);
        for (int i = 0; i <= DatabaseTimeBudget.MAX_ENTRIES; i++) {
            UUID tenant = UUID.randomUUID();
            budget.charge(tenant, budget.reserve(tenant, 0, 0), MS, 0);
        }
        budget.charge(A, budget.reserve(A, 10 * S, 0), S, 10 * S);
        assertEquals(1, budget.size(), "only the tenant still in debt is kept");
    }

    @Test
    void invalidSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new DatabaseTimeBudget(0, S));
        assertThrows(IllegalArgumentException.class, () -> new DatabaseTimeBudget(Double.NaN, S));
        assertThrows(IllegalArgumentException.class, () -> new DatabaseTimeBudget(1, -1));
    }
}
