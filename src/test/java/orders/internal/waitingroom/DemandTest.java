package orders.internal.waitingroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class DemandTest {

    final Surge.Demand demand = new Surge.Demand();
    final UUID shop = UUID.randomUUID();
    final long second = 1_796_650_000L * 1000;

    @Test
    void theCheckoutThatPassesTheRateWithinOneSecondCrossesOnce() {
        for (int i = 0; i < 3; i++) {
            assertFalse(demand.crosses(shop, 3, second + i * 100));
        }
        assertTrue(demand.crosses(shop, 3, second + 400), "the fourth of a second admitting three");
        assertFalse(demand.crosses(shop, 3, second + 500), "once a second");
        assertFalse(demand.crosses(UUID.randomUUID(), 3, second + 600), "shops are counted apart");
    }

    @Test
    void aNewSecondCountsAfresh() {
        for (int i = 0; i < 3; i++) {
            assertFalse(demand.crosses(shop, 3, second + 900 + i * 30));
        }
        // the same three, then one more, but in the next calendar second: not yet
        assertFalse(demand.crosses(shop, 3, second + 1_000));
        demand.forget(shop);
        assertFalse(demand.crosses(shop, 3, second + 1_001), "forgotten: counted from one again");
    }

    @Test
    void concurrentCheckoutsCrossExactlyOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> answers = new ArrayList<>();
        for (int i = 0; i < 800; i++) {
            answers.add(pool.submit(() -> demand.crosses(shop, 50, second + 10)));
        }
        int crossed = 0;
        for (Future<Boolean> a : answers) {
            crossed += a.get() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, crossed);
    }
}
