package catalog.internal;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.SetArgs;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Timeout;
import platform.Fallbacks;
import platform.RoleGate;

/**
 * The cell's Redis cache of storefront catalogue reads, keyed per tenant and per catalogue version:
 * a change increments the tenant's version (after commit), so every older entry is unreachable at
 * once. Redis is an optimisation, never a dependency: every call is bounded by a short timeout and a
 * circuit breaker, and a failed call means "not cached" (reads go to PostgreSQL). Invalidations that
 * fail while Redis is unreachable are remembered and replayed when it returns; entries expire anyway
 * after {@link #TTL}. Every fallback is counted in {@code storefront_cache_fallbacks_total{reason}} and the first of a
 * burst logged at WARN ({@link Fallbacks}).
 */
@ApplicationScoped
public class StorefrontCache {

    static final Duration TTL = Duration.ofMinutes(10);
    /** Counter of the cache's fallbacks, tagged with their reason. */
    static final String FALLBACKS = "storefront.cache.fallbacks";

    @Inject RedisDataSource redis;
    @Inject ReactiveRedisDataSource reactiveRedis;
    @Inject Fallbacks fallbacks;

    /** Longest wait for Redis when invalidating after a change (then the invalidation is replayed later). */
    static final Duration INVALIDATION_WAIT = Duration.ofMillis(250);

    private final Set<UUID> pendingInvalidations = ConcurrentHashMap.newKeySet();

    /** The cached JSON of an entry at a catalogue version, if Redis has it. */
    @Timeout(value = 250, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "miss")
    public Optional<String> get(UUID tenant, String version, String entry) {
        if (version == null || pendingInvalidations.contains(tenant)) {
            return Optional.empty();
        }
        return Optional.ofNullable(redis.value(String.class).get(entryKey(tenant, version, entry)));
    }

    /** Stores an entry under the tenant's current version (best effort). */
    @Timeout(value = 250, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "skip")
    public void put(UUID tenant, String versionSeen, String entry, String json) {
        if (versionSeen == null || pendingInvalidations.contains(tenant)) {
            return;
        }
        // only if the version is still the one read before the database query: never cache a stale read
        String version = redis.value(String.class).get(versionKey(tenant));
        if (versionSeen.equals(version == null ? "0" : version)) {
            redis.value(String.class).set(entryKey(tenant, versionSeen, entry), json, new SetArgs().ex(TTL));
        }
    }

    /** The tenant's current catalogue version (read before a database query that may be cached); null if Redis is unreachable. */
    @Timeout(value = 250, unit = ChronoUnit.MILLIS)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 2, delayUnit = ChronoUnit.SECONDS)
    @Fallback(fallbackMethod = "noVersion")
    public String version(UUID tenant) {
        String version = redis.value(String.class).get(versionKey(tenant));
        return version == null ? "0" : version;
    }

    /**
     * Makes every cached entry of the tenant unreachable. It runs after a committed change, on the
     * request that made it (a checkout, an edit), so it waits for Redis at most
     * {@link #INVALIDATION_WAIT}: a slow or frozen Redis defers the invalidation (the tenant's reads
     * bypass the cache until it is replayed) instead of holding the request.
     */
    public void invalidate(UUID tenant) {
        Throwable failure = tryInvalidate(tenant);
        if (failure != null) {
            fallbacks.taken(FALLBACKS, "Storefront cache invalidation deferred (replayed every second; the shop's reads"
                    + " bypass the cache meanwhile)", failure);
        }
    }

    /** Increments the tenant's version; returns why it could not, or null. */
    private Throwable tryInvalidate(UUID tenant) {
        pendingInvalidations.add(tenant); // reads bypass the cache from now until Redis has the new version
        try {
            reactiveRedis.value(String.class).incr(versionKey(tenant)).await().atMost(INVALIDATION_WAIT);
            pendingInvalidations.remove(tenant);
            return null;
        } catch (RuntimeException unreachable) {
            return unreachable;
        }
    }

    /** Replays invalidations that failed while Redis was unreachable (counted once, when they were deferred). */
    @Scheduled(every = "1s", skipExecutionIf = RoleGate.NotCell.class)
    void replayInvalidations() {
        for (UUID tenant : Set.copyOf(pendingInvalidations)) {
            tryInvalidate(tenant);
        }
    }

    Optional<String> miss(UUID tenant, String version, String entry, Throwable failure) {
        fallbacks.taken(FALLBACKS, "Storefront cache read skipped, served from PostgreSQL", failure);
        return Optional.empty();
    }

    void skip(UUID tenant, String versionSeen, String entry, String json, Throwable failure) {
        fallbacks.taken(FALLBACKS, "Storefront cache write skipped", failure);
    }

    String noVersion(UUID tenant, Throwable failure) {
        fallbacks.taken(FALLBACKS, "Storefront cache version unknown, served from PostgreSQL", failure);
        return null;
    }

    private static String versionKey(UUID tenant) {
        return "sf:{" + tenant + "}:catalog-version";
    }

    private static String entryKey(UUID tenant, String version, String entry) {
        return "sf:{" + tenant + "}:v" + version + ":" + entry;
    }
}
