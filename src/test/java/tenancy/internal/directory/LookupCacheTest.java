package tenancy.internal.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LookupCacheTest {

    private final AtomicLong nanos = new AtomicLong();
    private final LookupCache<String, String> cache =
            new LookupCache<>(1_000, Duration.ofSeconds(2), 500, Duration.ofSeconds(1), nanos::get);
    private final AtomicInteger loads = new AtomicInteger();

    private Optional<String> lookup(String host) {
        return cache.get(host, h -> {
            loads.incrementAndGet();
            return h.endsWith(".shop") ? Optional.of("tenant-of-" + h) : Optional.empty();
        });
    }

    @Test
    void aFloodOfUnknownHostsNeverEvictsTheRealShops() {
        assertEquals(Optional.of("tenant-of-a.shop"), lookup("a.shop"));
        for (int i = 0; i < 250_000; i++) {
            assertEquals(Optional.empty(), lookup("junk-" + i + ".example"));
        }
        int before = loads.get();
        assertEquals(Optional.of("tenant-of-a.shop"), lookup("a.shop"));
        assertEquals(before, loads.get(), "the real shop was still cached");
        assertTrue(cache.missingSize() <= 500, "negative entries are bounded: " + cache.missingSize());
        assertEquals(1, cache.foundSize());
    }

    @Test
    void unknownHostsAreRememberedBrieflyAndFoundOnesLonger() {
        lookup("a.shop");
        lookup("nobody.example");
        nanos.addAndGet(Duration.ofMillis(1_500).toNanos());
        int before = loads.get();
        lookup("a.shop");
        assertEquals(before, loads.get(), "a found entry lives 2 s");
        lookup("nobody.example");
        assertEquals(before + 1, loads.get(), "a negative entry lives 1 s");
    }

    @Test
    void concurrentMissesForOneHostLoadOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger slowLoads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Optional<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> cache.get("b.shop", h -> {
                    slowLoads.incrementAndGet();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.of("tenant-b");
                })));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowLoads.get() == 1);
            release.countDown();
            for (Future<Optional<String>> answer : answers) {
                assertEquals(Optional.of("tenant-b"), answer.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, slowLoads.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statsKeepRealShopsApartFromInventedHosts() {
        lookup("a.shop");
        lookup("a.shop");
        lookup("a.shop");
        lookup("junk.example");
        lookup("junk.example");
        assertEquals(new LookupCache.Stats(2, 1, 1, 1), cache.stats());
    }

    @Test
    void foundEntriesLiveLongerOnlyWhileChangesAreHeard() {
        java.util.concurrent.atomic.AtomicBoolean hearing = new java.util.concurrent.atomic.AtomicBoolean(true);
        LookupCache<String, String> trusting = new LookupCache<>(1_000, Duration.ofSeconds(2), Duration.ofMinutes(5),
                hearing::get, 500, Duration.ofSeconds(1), nanos::get);
        AtomicInteger reads = new AtomicInteger();
        java.util.function.Function<String, Optional<String>> loader = h -> {
            reads.incrementAndGet();
            return Optional.of("tenant-of-" + h);
        };
        trusting.get("a.shop", loader);
        nanos.addAndGet(Duration.ofMinutes(4).toNanos());
        trusting.get("a.shop", loader);
        assertEquals(1, reads.get(), "kept for 5 minutes while every change is heard");
        hearing.set(false);
        trusting.get("a.shop", loader);
        assertEquals(2, reads.get(), "older than 2 s and changes may be missed: read again");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        trusting.get("a.shop", loader);
        assertEquals(2, reads.get(), "what was just read is served for 2 s");
        hearing.set(true);
        nanos.addAndGet(Duration.ofMinutes(5).toNanos());
        trusting.get("a.shop", loader);
        assertEquals(3, reads.get(), "never beyond 5 minutes");
    }

    @Test
    void aLoadOverlappingAnInvalidationIsNotKept() {
        AtomicInteger reads = new AtomicInteger();
        Optional<String> first = cache.get("a.shop", h -> {
            reads.incrementAndGet();
            cache.invalidateAll(); // the directory changes while the old row is being read
            return Optional.of("old");
        });
        assertEquals(Optional.of("old"), first, "the caller gets what was read");
        Optional<String> next = cache.get("a.shop", h -> {
            reads.incrementAndGet();
            return Optional.of("new");
        });
        assertEquals(Optional.of("new"), next, "but it was not kept");
        assertEquals(2, reads.get());
    }

    @Test
    void invalidateAllForgetsBoth() {
        lookup("a.shop");
        lookup("nobody.example");
        cache.invalidateAll();
        int before = loads.get();
        lookup("a.shop");
        lookup("nobody.example");
        assertEquals(before + 2, loads.get());
    }
}
