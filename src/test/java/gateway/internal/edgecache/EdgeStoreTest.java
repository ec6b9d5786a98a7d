package gateway.internal.edgecache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class EdgeStoreTest {

    static final CacheControl CONTRACT = CacheControl.parse("public, s-maxage=5, stale-while-revalidate=10, stale-if-error=300");

    final AtomicLong nanos = new AtomicLong();
    final Map<String, Integer> evictions = new ConcurrentHashMap<>();

    EdgeStore store(long max, long perTenant) {
        Ticker ticker = nanos::get;
        return new EdgeStore(max, perTenant, ticker, Runnable::run, cause -> evictions.merge(cause, 1, Integer::sum));
    }

    static EdgeEntry entry(UUID tenant, String path, int bodyBytes, String... keys) {
        EdgeKey key = EdgeKey.primary(tenant, path, null).orElseThrow();
        return new EdgeEntry(key, 200, List.of(Map.entry("Content-Type", "application/json")), new byte[bodyBytes], "\"t\"",
                Set.of(keys), 0, 0, CONTRACT);
    }

    @Test
    void aShopOverItsBudgetEvictsItsOwnLeastRecentlyUsedEntriesOnly() {
        EdgeStore store = store(10_000_000, 20_000);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        EdgeEntry neighbour = entry(b, "/api/storefront/products/b", 4_000, "shop");
        store.put(neighbour);
        EdgeEntry first = entry(a, "/api/storefront/products/p0", 4_000, "shop");
        store.put(first);
        for (int i = 1; i < 50; i++) {
            assertNotNull(store.get(first.key), "touched, so never the least recently used");
            store.put(entry(a, "/api/storefront/products/p" + i, 4_000, "shop"));
            assertTrue(store.usage(a).bytes() <= 20_000, "within its budget: " + store.usage(a));
        }
        assertNotNull(store.get(first.key));
        assertNull(store.get(EdgeKey.primary(a, "/api/storefront/products/p1", null).orElseThrow()), "the oldest untouched went");
        assertTrue(store.usage(a).entries() <= 5);
        assertTrue(evictions.get(EdgeStore.TENANT_BUDGET) >= 44);
        assertNotNull(store.get(neighbour.key), "the other shop keeps its entry");
        assertEquals(neighbour.weight, store.usage(b).bytes());
        assertEquals(store.usage(a).bytes() + store.usage(b).bytes(), store.bytes());
    }

    @Test
    void anEntryBiggerThanATenantsBudgetIsNotKept() {
        EdgeStore store = store(10_000_000, 20_000);
        EdgeEntry big = entry(UUID.randomUUID(), "/api/storefront/products", 30_000, "products");
        assertFalse(store.put(big));
        assertNull(store.get(big.key));
        assertEquals(0, store.bytes());
    }

    @Test
    void theGlobalBudgetHoldsAcrossShops() {
        EdgeStore store = store(100_000, 50_000);
        for (int shop = 0; shop < 20; shop++) {
            UUID tenant = UUID.randomUUID();
            for (int i = 0; i < 10; i++) {
                store.put(entry(tenant, "/api/storefront/products/p" + i, 4_000, "shop"));
            }
        }
        store.cleanUp();
        assertTrue(store.bytes() <= 100_000, "bytes " + store.bytes());
        assertTrue(evictions.getOrDefault(EdgeStore.SIZE, 0) > 0);
    }

    @Test
    void aPurgeRemovesExactlyTheTenantsLabelledEntriesAndCleansTheIndex() {
        EdgeStore store = store(10_000_000, 1_000_000);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        EdgeEntry shoe = entry(a, "/api/storefront/products/shoe", 100, "shop", "product:shoe");
        EdgeEntry hat = entry(a, "/api/storefront/products/hat", 100, "shop", "product:hat");
        EdgeEntry list = entry(a, "/api/storefront/products", 100, "shop", "products");
        EdgeEntry otherShoe = entry(b, "/api/storefront/products/shoe", 100, "shop", "product:shoe");
        for (EdgeEntry e : List.of(shoe, hat, list, otherShoe)) {
            store.put(e);
        }
        assertEquals(2, store.purge(a, Set.of("product:shoe", "products")));
        assertNull(store.get(shoe.key));
        assertNull(store.get(list.key));
        assertNotNull(store.get(hat.key));
        assertNotNull(store.get(otherShoe.key), "another shop's entry with the same key word stays");
        assertEquals(0, store.purge(a, Set.of("product:shoe")), "the index forgot the purged entries");
        assertEquals(1, store.purgeTenant(a));
        assertEquals(0, store.usage(a).bytes());
        assertEquals(otherShoe.weight, store.bytes());
    }

    @Test
    void expiredAndReplacedEntriesLeaveTheAccounting() {
        EdgeStore store = store(10_000_000, 1_000_000);
        UUID a = UUID.randomUUID();
        EdgeEntry one = entry(a, "/api/storefront/shop", 100, "shop");
        store.put(one);
        EdgeEntry two = entry(a, "/api/storefront/shop", 200, "shop");
        store.put(two);
        assertEquals(two.weight, store.usage(a).bytes(), "a replaced entry is counted once");
        nanos.addAndGet(java.util.concurrent.TimeUnit.SECONDS.toNanos(306)); // beyond s-maxage + stale-if-error
        store.cleanUp();
        assertNull(store.get(two.key));
        assertEquals(0, store.bytes());
        assertEquals(0, store.purge(a, Set.of("shop")));
    }
}
