package catalog.internal.readcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    /** A failure that is an answer (as "no such product" is), shared with the followers. */
    static class Answer extends RuntimeException {
        Answer() {
            super("no such entry");
        }
    }

    final ExecutorService pool = Executors.newFixedThreadPool(8);
    final AtomicInteger followers = new AtomicInteger();
    final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private SingleFlight<String> flights(Duration wait) {
        return new SingleFlight<>(wait, f -> f instanceof Answer, followers::incrementAndGet);
    }

    /**
     * A leader whose load blocks until {@code release} (then fails with {@code failure} if given),
     * and n-1 callers of the same key started after it; returns their results, leader first.
     */
    private List<Future<SingleFlight.Result>> behindALeader(SingleFlight<String> flights, int n, CountDownLatch release,
                                                            RuntimeException failure) throws Exception {
        CountDownLatch leading = new CountDownLatch(1);
        List<Future<SingleFlight.Result>> results = new ArrayList<>();
        results.add(pool.submit(() -> flights.run("k", () -> {
            loads.incrementAndGet();
            leading.countDown();
            await(release);
            if (failure != null) {
                throw failure;
            }
            return "body";
        })));
        assertTrue(leading.await(5, TimeUnit.SECONDS));
        for (int i = 1; i < n; i++) {
            results.add(pool.submit(() -> flights.run("k", () -> {
                loads.incrementAndGet();
                return "own";
            })));
        }
        return results;
    }

    private void untilFollowing(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (followers.get() < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(n, followers.get());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void concurrentLoadsOfOneKeyRunOnce() throws Exception {
        SingleFlight<String> flights = flights(Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        List<Future<SingleFlight.Result>> results = behindALeader(flights, 6, release, null);
        untilFollowing(5);
        release.countDown();
        int coalesced = 0;
        for (Future<SingleFlight.Result> result : results) {
            assertEquals("body", result.get(5, TimeUnit.SECONDS).value());
            coalesced += result.get().coalesced() ? 1 : 0;
        }
        assertEquals(1, loads.get());
        assertEquals(5, coalesced);
        assertEquals(0, flights.inFlight());
        // once done, the next call of the key loads again (the cache in front of it decides whether it is needed)
        assertEquals("again", flights.run("k", () -> "again").value());
    }

    @Test
    void differentKeysDoNotWaitForEachOther() throws Exception {
        SingleFlight<String> flights = flights(Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        List<Future<SingleFlight.Result>> results = behindALeader(flights, 1, release, null);
        assertEquals("other", flights.run("other", () -> "other").value());
        assertEquals(0, followers.get());
        release.countDown();
        assertEquals("body", results.get(0).get(5, TimeUnit.SECONDS).value());
    }

    @Test
    void aFollowerLoadsForItselfWhenTheLeaderIsTooSlow() throws Exception {
        SingleFlight<String> flights = flights(Duration.ofMillis(50));
        CountDownLatch release = new CountDownLatch(1);
        List<Future<SingleFlight.Result>> results = behindALeader(flights, 2, release, null);
        SingleFlight.Result follower = results.get(1).get(5, TimeUnit.SECONDS);
        assertEquals("own", follower.value());
        assertFalse(follower.coalesced());
        release.countDown();
        assertEquals("body", results.get(0).get(5, TimeUnit.SECONDS).value());
        assertEquals(2, loads.get());
    }

    @Test
    void aFollowerLoadsForItselfWhenTheLeaderFailsByAccident() throws Exception {
        SingleFlight<String> flights = flights(Duration.ofSeconds(5));
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException accident = new IllegalStateException("database went away");
        List<Future<SingleFlight.Result>> results = behindALeader(flights, 2, release, accident);
        untilFollowing(1);
        release.countDown();
        ExecutionException leader = assertThrows(ExecutionException.class, () -> results.get(0).get(5, TimeUnit.SECONDS));
        assertSame(accident, leader.getCause());
        assertEquals("own", results.get(1).get(5, TimeUnit.SECONDS).value());
    }

    @Test
    void anAnswerOfTheLeaderIsTheFollowersAnswer() throws Exception {
        SingleFlight<String> flights = flights(Duration.ofSeconds(5));
        Answer notFound = new Answer();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<SingleFlight.Result>> results = behindALeader(flights, 3, release, notFound);
        untilFollowing(2);
        release.countDown();
        for (Future<SingleFlight.Result> result : results) {
            ExecutionException failure = assertThrows(ExecutionException.class, () -> result.get(5, TimeUnit.SECONDS));
            assertSame(notFound, failure.getCause());
        }
        assertEquals(1, loads.get());
    }
}
