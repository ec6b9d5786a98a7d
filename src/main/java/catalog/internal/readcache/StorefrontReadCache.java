package catalog.internal.readcache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import platform.Fallbacks;
import platform.ProblemException;
import platform.RoleGate;

/**
 * The cell's cache of storefront answers (JSON bodies per tenant and entry), in two tiers: the
 * node's memory ({@link NearCache}) and the cell's Redis ({@link RedisTier}). Entries belong to a
 * catalogue version of their tenant; a committed change increments it ({@link #invalidate}), so older
 * entries are unreachable at once on this node and, through the versions channel, within
 * milliseconds on the others (at worst after {@link ReadCacheConfig#staleness()}).
 *
 * <p>A read is answered from memory without any call when the tenant's version is trusted locally
 * and the near cache holds the entry at it; else one Redis round trip (a script) fetches the version
 * and the entry together; else the database is read, once per (tenant, entry, version) on this node
 * however many reads miss at once ({@link SingleFlight}), and the body is stored in both tiers (in
 * Redis only if the version is still the one read before the query).
 *
 * <p>Redis is an optimisation, never a dependency: each call waits at most
 * {@link ReadCacheConfig#redisTimeout()}, consecutive failures open a {@link RedisBreaker}, and a
 * failed or skipped call means "not cached" (the read goes to PostgreSQL), counted in
 * {@code storefront_cache_fallbacks_total{reason}} and logged at WARN once per burst ({@link Fallbacks}).
 * A change whose invalidation fails while Redis is unreachable makes the tenant's reads on this node
 * bypass the cache until it is replayed (every second).
 *
 * <p>Meters: {@code storefront.cache.hits{tier=near|redis}}, {@code storefront.cache.misses},
 * {@code storefront.cache.loads} (database loads of reads), {@code storefront.cache.coalesced} (misses
 * that waited for another read's load on this node), {@code storefront.cache.redis.reads} (read round trips).
 */
@ApplicationScoped
public class StorefrontReadCache implements catalog.StorefrontCache {

    /** Counter of the cache's fallbacks, tagged with their reason. */
    public static final String FALLBACKS = "storefront.cache.fallbacks";
    /** Longest wait for Redis when invalidating after a change (then the invalidation is replayed later). */
    static final Duration INVALIDATION_WAIT = Duration.ofMillis(250);

    /** Where an answer came from. */
    public enum Tier {
        /** This node's memory, without a call to Redis. */
        NEAR,
        /** Redis (one round trip), or this node's memory confirmed by it. */
        REDIS,
        /** The database. */
        DATABASE;

        /** The tier as the {@code X-Cache-Tier} header names it. */
        public String header() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A read's body and where it came from. */
    public record Answer(String body, Tier tier) {
        public boolean hit() {
            return tier != Tier.DATABASE;
        }
    }

    private record Flight(UUID tenant, String entry, long version) {}

    @Inject ReadCacheConfig config;
    @Inject NearCache near;
    @Inject RedisTier redis;
    @Inject VersionChannel channel;
    @Inject Fallbacks fallbacks;
    @Inject MeterRegistry registry;

    private final Set<UUID> pendingInvalidations = ConcurrentHashMap.newKeySet();
    private TenantVersions versions;
    private RedisBreaker breaker;
    private SingleFlight<Flight> flights;
    private Counter nearHits;
    private Counter redisHits;
    private Counter misses;
    private Counter loads;
    private Counter coalesced;
    private Counter redisReads;

    @PostConstruct
    void init() {
        versions = channel.versions();
        breaker = new RedisBreaker(config.breakerFailures(), config.breakerOpenFor(), System::nanoTime);
        coalesced = registry.counter("storefront.cache.coalesced");
        flights = new SingleFlight<>(config.coalesceWait(), failure -> failure instanceof ProblemException, coalesced::increment);
        nearHits = registry.counter("storefront.cache.hits", "tier", "near");
        redisHits = registry.counter("storefront.cache.hits", "tier", "redis");
        misses = registry.counter("storefront.cache.misses");
        loads = registry.counter("storefront.cache.loads");
        redisReads = registry.counter("storefront.cache.redis.reads");
    }

    /**
     * The body of a storefront entry of the tenant: from memory, Redis or {@code load} (the database
     * query and its JSON), whichever is the first to have it at the tenant's current version.
     */
    public Answer read(UUID tenant, String entry, Supplier<String> load) {
        if (pendingInvalidations.contains(tenant)) {
            return loaded(load); // a change this node made is not in Redis yet: nothing cached is known to be current
        }
        NearCache.Key key = new NearCache.Key(tenant, entry);
        NearCache.Entry held = near.get(key);
        if (held != null && held.version() == versions.trusted(tenant)) {
            nearHits.increment();
            return new Answer(held.body(), Tier.NEAR);
        }
        if (!breaker.allow()) {
            fallbacks.taken(FALLBACKS, "Storefront cache read skipped, served from PostgreSQL (Redis failed just before)",
                    Fallbacks.CIRCUIT_OPEN);
            return loaded(load);
        }
        RedisTier.Found found;
        long sent = versions.now();
        try {
            redisReads.increment();
            found = redis.read(tenant, entry, held == null ? -1 : held.version(), config.redisTimeout());
            breaker.success();
        } catch (RuntimeException failure) {
            breaker.failure();
            fallbacks.taken(FALLBACKS, "Storefront cache read skipped, served from PostgreSQL", failure);
            return loaded(load);
        }
        versions.learn(tenant, found.version(), sent);
        if (held != null && held.version() == found.version()) {
            redisHits.increment();
            return new Answer(held.body(), Tier.REDIS);
        }
        if (found.body() != null) {
            near.put(key, found.version(), found.body());
            redisHits.increment();
            return new Answer(found.body(), Tier.REDIS);
        }
        SingleFlight.Result result = flights.run(new Flight(tenant, entry, found.version()), () -> {
            loads.increment();
            String body = load.get();
            near.put(key, found.version(), body);
            store(tenant, found.version(), entry, body);
            return body;
        });
        misses.increment();
        return new Answer(result.value(), Tier.DATABASE);
    }

    private Answer loaded(Supplier<String> load) {
        loads.increment();
        String body = load.get();
        misses.increment();
        return new Answer(body, Tier.DATABASE);
    }

    /** Stores the body in Redis if the version is still current there (asynchronous, best effort). */
    private void store(UUID tenant, long version, String entry, String body) {
        if (!breaker.allow()) {
            return;
        }
        redis.put(tenant, version, entry, body).ifNoItem().after(config.redisTimeout()).fail().subscribe().with(
                stored -> breaker.success(),
                failure -> {
                    breaker.failure();
                    fallbacks.taken(FALLBACKS, "Storefront cache write skipped", failure);
                });
    }

    /**
     * Makes every cached entry of the tenant unreachable. It runs after a committed change, on the
     * request that made it (a checkout, an edit), so it waits for Redis at most
     * {@link #INVALIDATION_WAIT}: a slow or frozen Redis defers the invalidation (the tenant's reads
     * on this node bypass the cache until it is replayed) instead of holding the request.
     */
    @Override
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
            long sent = versions.now();
            long version = redis.invalidate(tenant, INVALIDATION_WAIT);
            if (version >= 0) {
                versions.learn(tenant, version, sent); // this node's next read sees the change, whatever the channel does
            }
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
}
