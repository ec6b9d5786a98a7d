package catalog.internal.readcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The node's in-memory copy of storefront answers: per (tenant, entry) the body at one catalogue
 * version, bounded by the bytes of the bodies ({@link ReadCacheConfig#nearMaxBytes()}), least
 * valuable first out (Caffeine's W-TinyLFU). Whether an entry may be served is the caller's
 * decision (its version against the tenant's trusted version); this class only keeps the newest one.
 * Meters: {@code storefront.cache.near.evictions}, {@code storefront.cache.near.entries},
 * {@code storefront.cache.near.bytes}.
 */
@ApplicationScoped
class NearCache {

    /** A cached body and the catalogue version it belongs to. */
    record Entry(long version, String body) {}

    /** Key of an entry: identical entry names of two tenants are different keys. */
    record Key(UUID tenant, String entry) {}

    /** Rough bytes per entry besides its body and name (objects, map node). */
    static final int OVERHEAD = 96;

    private final Cache<Key, Entry> cache;
    private final boolean enabled;

    @Inject
    NearCache(ReadCacheConfig config, MeterRegistry registry) {
        this.enabled = config.nearMaxBytes() > 0;
        Counter evictions = registry.counter("storefront.cache.near.evictions");
        this.cache = Caffeine.newBuilder()
                .maximumWeight(Math.max(0, config.nearMaxBytes()))
                .weigher((Key key, Entry entry) -> weight(key, entry))
                .expireAfterWrite(RedisTier.TTL)
                .evictionListener((Key key, Entry entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        evictions.increment();
                    }
                })
                .build();
        Gauge.builder("storefront.cache.near.entries", cache, c -> c.estimatedSize()).register(registry);
        Gauge.builder("storefront.cache.near.bytes", cache,
                c -> c.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(0L)).baseUnit("bytes").register(registry);
    }

    static int weight(Key key, Entry entry) {
        long bytes = (long) entry.body().length() + key.entry().length() + OVERHEAD;
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** The entry held for (tenant, entry), at whatever version, or null. */
    Entry get(Key key) {
        return enabled ? cache.getIfPresent(key) : null;
    }

    /** Holds a body at a version, unless a newer version is held already. */
    void put(Key key, long version, String body) {
        if (enabled) {
            cache.asMap().merge(key, new Entry(version, body), (old, now) -> now.version() >= old.version() ? now : old);
        }
    }
}
