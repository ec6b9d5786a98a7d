package catalog.internal.readcache;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The catalogue versions of tenants this node knows, each with when it was last confirmed by Redis
 * (an answer of the read script, or a message on the versions channel). A known version is trusted
 * without asking Redis for at most the staleness bound after its confirmation, and only while the
 * node's subscription to the versions channel is up: a node that may have missed a message trusts
 * nothing it knows. Versions only grow (a message and a script answer racing each other keep the
 * higher), since Redis starts a missing version from its clock in microseconds rather than from 0.
 */
final class TenantVersions {

    /** A version and when it was confirmed (nanoTime). */
    record Known(long version, long confirmedAt) {}

    private final ConcurrentHashMap<UUID, Known> versions = new ConcurrentHashMap<>();
    private final long staleNanos;
    private final LongSupplier nanoTime;
    private volatile boolean subscribed;

    TenantVersions(Duration staleness, LongSupplier nanoTime) {
        this.staleNanos = staleness.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The tenant's version if this node may use it without asking Redis, else -1. */
    long trusted(UUID tenant) {
        if (!subscribed) {
            return -1;
        }
        Known known = versions.get(tenant);
        if (known == null || nanoTime.getAsLong() - known.confirmedAt() > staleNanos) {
            return -1;
        }
        return known.version();
    }

    /**
     * Records a version Redis had at {@code confirmedAt} (for a script answer: when the call was sent,
     * the earliest moment the answer can describe). A lower version than the one known is ignored (it
     * is older news); the same version refreshes the confirmation.
     */
    void learn(UUID tenant, long version, long confirmedAt) {
        versions.merge(tenant, new Known(version, confirmedAt), (old, now) -> {
            if (now.version() > old.version()) {
                return now;
            }
            if (now.version() == old.version() && now.confirmedAt() - old.confirmedAt() > 0) {
                return now;
            }
            return old;
        });
    }

    /** The subscription is up (a fresh start: what was known may have missed messages). */
    void subscribed() {
        versions.clear();
        subscribed = true;
    }

    /** The subscription is down: nothing known is trusted until it is up again. */
    void unsubscribed() {
        subscribed = false;
        versions.clear();
    }

    long now() {
        return nanoTime.getAsLong();
    }

    /** Parses a version as Redis stores it (a decimal integer); -1 if it is not one. */
    static long parse(String version) {
        if (version == null || version.isEmpty() || version.length() > 19) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < version.length(); i++) {
            char c = version.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value < 0 ? -1 : value;
    }
}
