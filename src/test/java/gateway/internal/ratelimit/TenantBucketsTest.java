package gateway.internal.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One gateway's tenant buckets: its own decisions, what it hands to the shared bucket, and what comes back. */
class TenantBucketsTest {

    static final UUID A = UUID.randomUUID();
    static final UUID B = UUID.randomUUID();

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final TenantBuckets buckets = new TenantBuckets(now::get, 1_000, Duration.ofMinutes(10));

    @Test
    void aFullBucketAdmitsItsBurstThenTheRate() {
        // 50 per second (20 ms each), 100 at once
        int admitted = 0;
        for (int i = 0; i < 150; i++) {
            if (buckets.take(A, 50, 100).allowed()) {
                admitted++;
            }
        }
        assertEquals(100, admitted);
        RateLimiter.Decision refused = buckets.take(A, 50, 100);
        assertFalse(refused.allowed());
        assertEquals(20_000, refused.retryAfterMicros(), "the next request's place comes back after one interval");
        assertEquals(0, refused.remaining());
        now.addAndGet(20_000);
        assertTrue(buckets.take(A, 50, 100).allowed());
        assertFalse(buckets.take(A, 50, 100).allowed());
        // another tenant has its own bucket
        RateLimiter.Decision other = buckets.take(B, 50, 100);
        assertTrue(other.allowed());
        assertEquals(99, other.remaining());
        assertEquals(50, other.limit());
    }

    @Test
    void admittedRequestsAreDrainedOnceAndRefusedOnesAreNotCounted() {
        for (int i = 0; i < 15; i++) {
            buckets.take(A, 10, 10);
        }
        buckets.take(B, 10, 10);
        List<TenantBuckets.Pending> pending = buckets.drain();
        assertEquals(2, pending.size());
        TenantBuckets.Pending a = pending.stream().filter(p -> p.tenant().equals(A)).findFirst().orElseThrow();
        assertEquals(10, a.requests(), "the 10 admitted, not the 5 refused");
        assertEquals(100_000, a.intervalMicros());
        assertTrue(buckets.drain().isEmpty(), "drained once");
    }

    @Test
    void theSharedBucketHoldsBackWhatOtherGatewaysAdmitted() {
        assertTrue(buckets.take(A, 10, 10).allowed());
        // the other gateways admitted 9 more: the shared bucket is 10 intervals (1 s) ahead of now
        buckets.merge(A, 1_000_000);
        assertFalse(buckets.take(A, 10, 10).allowed(), "the burst is spent across the gateways");
        now.addAndGet(100_000);
        assertTrue(buckets.take(A, 10, 10).allowed(), "one interval later, one more");
        // a shared bucket behind this gateway's never moves it back
        buckets.merge(A, 0);
        buckets.merge(A, 10);
        assertFalse(buckets.take(A, 10, 10).allowed());
        // nor does a merge create a tenant this gateway does not know
        buckets.merge(B, 1_000_000);
        assertTrue(buckets.take(B, 10, 10).allowed());
    }

    @Test
    void concurrentRequestsNeverExceedTheBurst() throws Exception {
        int threads = 4;
        AtomicLong admitted = new AtomicLong();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (buckets.take(A, 1, 500).allowed()) {
                        admitted.incrementAndGet();
                    }
                }
            });
        }
        for (Thread worker : workers) {
            worker.join();
        }
        assertEquals(500, admitted.get());
        assertEquals(500, buckets.drain().getFirst().requests());
    }
}
