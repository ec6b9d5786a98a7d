package tenancy.internal.signin;

import java.time.Duration;
import java.util.function.LongSupplier;
import platform.ratelimit.Gcra;
import platform.ratelimit.LocalGcra;

/**
 * The sign-in limits counted in this process, for while Redis cannot be reached: the same
 * algorithm and keys as in Redis, one TAT per key, at most {@link #MAX_KEYS} keys (the least recently
 * used go first; a key idle for longer than its bucket has nothing left to say anyway).
 */
final class LocalCounts {

    static final long MAX_KEYS = 100_000;

    private final LocalGcra<String> tats;

    /**
     * @param nowMicros the clock, in microseconds
     * @param idle      how long an untouched key is kept: the largest bucket of the limits, in time
     */
    LocalCounts(LongSupplier nowMicros, Duration idle) {
        this.tats = new LocalGcra<>(nowMicros, MAX_KEYS, idle);
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
        tats.forget(key);
    }

    /** Takes one attempt from a key's bucket; 0 if admitted, else the wait in microseconds. */
    private long take(String key, Gcra.Rate rate) {
        Gcra.Step step = tats.take(key, rate);
        return step.admitted() ? 0 : step.waitMicros();
    }
}
