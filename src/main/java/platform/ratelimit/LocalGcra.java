package platform.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * GCRA limits counted in this process, one TAT per key, for at most {@code maxKeys} keys (the least
 * recently used go first; a key idle for longer than its bucket has nothing left to say anyway, so
 * forgetting it admits nothing a limit would have refused). Lock-free: one compare-and-set per
 * admitted attempt, no allocation for a key already known.
 *
 * @param <K> the key: a tenant, a client address, an account at an address
 */
public final class LocalGcra<K> {

    private final LongSupplier nowMicros;
    private final Cache<K, AtomicLong> tats;

    /**
     * @param nowMicros the clock, in microseconds
     * @param maxKeys   the most keys kept
     * @param idle      how long an untouched key is kept: the largest bucket of the limits used, in time
     */
    public LocalGcra(LongSupplier nowMicros, long maxKeys, Duration idle) {
        this.nowMicros = nowMicros;
        this.tats = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(idle).build();
    }

    /** A limiter on the monotonic clock. */
    public static <K> LocalGcra<K> monotonic(long maxKeys, Duration idle) {
        return new LocalGcra<>(() -> System.nanoTime() / 1000, maxKeys, idle);
    }

    /** Takes one attempt from a key's bucket: admitted with the key's next TAT, or refused with the wait. */
    public Gcra.Step take(K key, Gcra.Rate rate) {
        AtomicLong tat = tats.get(key, k -> new AtomicLong());
        while (true) {
            long seen = tat.get();
            Gcra.Step step = Gcra.attempt(seen, nowMicros.getAsLong(), rate);
            if (!step.admitted() || tat.compareAndSet(seen, step.nextTat())) {
                return step;
            }
        }
    }

    /** Empties a key's bucket. */
    public void forget(K key) {
        tats.invalidate(key);
    }

    /** The clock this limiter reads, in microseconds. */
    public long nowMicros() {
        return nowMicros.getAsLong();
    }

    /** How many keys are kept (approximately). */
    public long keys() {
        return tats.estimatedSize();
    }
}
