package tenancy.internal.signin;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The sign-in limits counted in this process, for while Redis cannot be reached: the same
 * algorithm and keys as in Redis, one TAT per key, at most {@link #MAX_KEYS} keys (the least recently
 * used go first; a key idle for longer than its bucket has nothing left to say anyway).
 */
final class LocalCounts {

    static final long MAX_KEYS = 100_000;

    private final LongSupplier nowMicros;
    private final Cache<String, AtomicLong> tats;

    /**
     * @param nowMicros the clock, in microseconds
     * @param idle      how long an untouched key is kept: the largest bucket of the limits, in time
     */
    LocalCounts(LongSupplier nowMicros, Duration idle) {
        this.nowMicros = nowMicros;
        this.tats = Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterAccess(idle).build();
    }

    /**
     * One attempt: first against the source's limit, then, if admitted there, against the account's.
     * An attempt admitted by the source's limit counts there even when the account's refuses it.
     */
    Decision attempt(String sourceKey, Gcra.Rate source, String accountKey, Gcra.Rate account) {
        long wait = take(sourceKey, source);
        if (wait > 0) {
            return Decision.refused(Decision.Limited.SOURCE, wait);
        }
        wait = take(accountKey, account);
        if (wait > 0) {
            return Decision.refused(Decision.Limited.ACCOUNT, wait);
        }
        return Decision.ADMITTED;
    }

    /** Empties a key's bucket (after a successful sign-in). */
    void forget(String key) {
        tats.invalidate(key);
    }

    /** Takes one attempt from a key's bucket; 0 if admitted, else the wait in microseconds. */
    private long take(String key, Gcra.Rate rate) {
        AtomicLong tat = tats.get(key, k -> new AtomicLong());
        while (true) {
            long seen = tat.get();
            Gcra.Step step = Gcra.attempt(seen, nowMicros.getAsLong(), rate);
            if (!step.admitted()) {
                return step.waitMicros();
            }
            if (tat.compareAndSet(seen, step.nextTat())) {
                return 0;
            }
        }
    }
}
