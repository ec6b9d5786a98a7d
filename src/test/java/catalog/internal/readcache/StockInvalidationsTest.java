package catalog.internal.readcache;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StockInvalidationsTest {

    static final Duration PERIOD = Duration.ofMillis(300);

    final List<UUID> invalidated = new CopyOnWriteArrayList<>();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    StockInvalidations stock;

    @BeforeEach
    void setUp() {
        stock = new StockInvalidations();
        stock.config = config(PERIOD);
        stock.cache = new StorefrontReadCache() {
            @Override
            public void invalidate(UUID tenant) {
                invalidated.add(tenant);
            }
        };
        stock.clock = now::get;
    }

    @AfterEach
    void tearDown() {
        stock.stop(null);
    }

    @Test
    void aBurstOfStockChangesInvalidatesOnceAtOnceAndOnceAtTheEndOfThePeriod() {
        UUID shop = UUID.randomUUID();
        stock.stockChanged(shop, false);
        assertEquals(List.of(shop), invalidated, "the first change after a quiet period invalidates at once");
        for (int i = 0; i < 50; i++) {
            now.addAndGet(PERIOD.toNanos() / 100);
            stock.stockChanged(shop, false);
        }
        assertEquals(1, invalidated.size(), "the changes within the period wait for its end");
        await().atMost(Duration.ofSeconds(5)).until(() -> invalidated.size() == 2);
        assertEquals(List.of(shop, shop), invalidated);
    }

    @Test
    void aSellOutInvalidatesAtOnceWithinThePeriod() {
        UUID shop = UUID.randomUUID();
        stock.stockChanged(shop, false);
        now.addAndGet(PERIOD.toNanos() / 10);
        stock.stockChanged(shop, true);
        assertEquals(List.of(shop, shop), invalidated);
    }

    @Test
    void shopsAreCountedApartAndAQuietShopInvalidatesAtOnce() {
        UUID busy = UUID.randomUUID();
        UUID quiet = UUID.randomUUID();
        stock.stockChanged(busy, false);
        stock.stockChanged(quiet, false);
        assertEquals(List.of(busy, quiet), invalidated, "another shop's changes do not hold a shop's back");
        now.addAndGet(PERIOD.toNanos() + 1);
        stock.stockChanged(busy, false);
        assertEquals(List.of(busy, quiet, busy), invalidated, "a change after a whole period invalidates at once");
    }

    static ReadCacheConfig config(Duration stockStaleness) {
        return new ReadCacheConfig() {
            @Override public long nearMaxBytes() { return 0; }
            @Override public Duration staleness() { return Duration.ofSeconds(1); }
            @Override public Duration stockStaleness() { return stockStaleness; }
            @Override public Duration redisTimeout() { return Duration.ofMillis(250); }
            @Override public int breakerFailures() { return 5; }
            @Override public Duration breakerOpenFor() { return Duration.ofSeconds(1); }
            @Override public Duration coalesceWait() { return Duration.ofSeconds(3); }
        };
    }
}
