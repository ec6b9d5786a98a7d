package gateway.internal.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import platform.ratelimit.Gcra;

/**
 * One gateway's per-tenant request buckets (GCRA: one theoretical arrival time per tenant), decided in this
 * process on every request, and reconciled with the bucket all gateways share ({@link RateLimiter}: Redis):
 * the requests admitted here since the last reconciliation are {@linkplain #drain() drained} and added to the
 * shared bucket, and the shared bucket's arrival time, which counts every gateway's requests, is
 * {@linkplain #merge merged} back (the later of the two wins). With one gateway the limit is exact; with
 * several, a tenant can exceed its limit by what the other gateways admitted since their last reconciliation
 * (ADR 0023).
 *
 * <p>Lock-free: one compare-and-set per admitted request and one counter increment, no allocation for a
 * tenant already known; a drain visits only the tenants with requests since the last one. At most {@code maxTenants} tenants are kept (the least recently used go first: a
 * tenant idle for longer than its bucket has nothing left to say). Times are the caller's clock in
 * microseconds, so unit tests drive it.
 */
final class TenantBuckets {

    /** A tenant's bucket: its arrival time here, the requests admitted since the last drain, and its interval. */
    static final class Bucket {
        final UUID tenant;
        final AtomicLong tat = new AtomicLong();
        final AtomicLong pending = new AtomicLong();
        volatile long intervalMicros;

        Bucket(UUID tenant) {
            this.tenant = tenant;
        }
    }

    /** A tenant's requests admitted here since the last drain, at its interval. */
    record Pending(UUID tenant, long requests, long intervalMicros) {}

    private final LongSupplier nowMicros;
    private final Cache<UUID, Bucket> buckets;
    /** The buckets with requests admitted since the last drain (each once): a drain visits only those. */
    private final Queue<Bucket> busy = new ConcurrentLinkedQueue<>();

    TenantBuckets(LongSupplier nowMicros, long maxTenants, Duration idle) {
        this.nowMicros = nowMicros;
        this.buckets = Caffeine.newBuilder().maximumSize(maxTenants).expireAfterAccess(idle).build();
    }

    /** Decides on one request of a tenant with a sustained rate and a burst (both taken as at least 1). */
    RateLimiter.Decision take(UUID tenant, int requestsPerSecond, int burst) {
        int rate = Math.max(1, requestsPerSecond);
        Gcra.Rate limit = new Gcra.Rate(Math.max(1, 1_000_000L / rate), Math.max(1, burst));
        Bucket bucket = buckets.get(tenant, Bucket::new);
        bucket.intervalMicros = limit.intervalMicros();
        while (true) {
            long now = nowMicros.getAsLong();
            long seen = bucket.tat.get();
            Gcra.Step step = Gcra.attempt(seen, now, limit);
            if (!step.admitted()) {
                return new RateLimiter.Decision(false, rate, 0, step.waitMicros(), Math.max(0, seen - now));
            }
            if (bucket.tat.compareAndSet(seen, step.nextTat())) {
                if (bucket.pending.getAndIncrement() == 0) {
                    busy.add(bucket); // its first since the last drain
                }
                long ahead = step.nextTat() - now;
                return new RateLimiter.Decision(true, rate, Math.max(0, (limit.toleranceMicros() - ahead) / limit.intervalMicros()),
                        0, ahead);
            }
        }
    }

    /** The requests admitted since the last drain, per tenant that had any; their counts start again from 0. */
    List<Pending> drain() {
        List<Pending> out = new ArrayList<>();
        for (Bucket bucket = busy.poll(); bucket != null; bucket = busy.poll()) {
            // a request admitted from here on finds its count at 0 and queues the bucket again
            long requests = bucket.pending.getAndSet(0);
            if (requests > 0) {
                out.add(new Pending(bucket.tenant, requests, bucket.intervalMicros));
            }
        }
        return out;
    }

    /**
     * The shared bucket's arrival time, {@code aheadMicros} ahead of now when it was read: this gateway's moves
     * up to it (never back: what this gateway admitted since counts too).
     */
    void merge(UUID tenant, long aheadMicros) {
        Bucket bucket = buckets.getIfPresent(tenant);
        if (bucket == null || aheadMicros <= 0) {
            return;
        }
        bucket.tat.accumulateAndGet(nowMicros.getAsLong() + aheadMicros, Math::max);
    }

    /** Tenants kept (approximately). */
    long size() {
        return buckets.estimatedSize();
    }
}
