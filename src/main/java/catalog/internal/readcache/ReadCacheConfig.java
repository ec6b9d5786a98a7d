package catalog.internal.readcache;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the cell's storefront read cache (near cache in memory, Redis behind it). */
@ConfigMapping(prefix = "catalog.read-cache")
public interface ReadCacheConfig {

    /**
     * Upper bound of the near cache, in bytes of cached bodies ({@code STOREFRONT_NEAR_CACHE_MAX_BYTES},
     * default 64 MiB); 0 turns the near cache off (every read asks Redis).
     */
    @WithDefault("67108864")
    long nearMaxBytes();

    /**
     * How long a tenant's catalogue version known on this node is trusted without asking Redis
     * ({@code STOREFRONT_NEAR_CACHE_STALENESS}, default 1s): the longest a node can serve a body older
     * than a change made on another node when the change's message on the versions channel is lost.
     */
    @WithDefault("1s")
    Duration staleness();

    /**
     * How old a stock level in a cached storefront answer may be ({@code STOREFRONT_STOCK_STALENESS}, default 1s):
     * checkouts invalidate a shop's answers at most once per this period and node, a variant that sells out at once
     * (see {@link StockInvalidations}); changes of content, prices included, invalidate at once.
     */
    @WithDefault("1s")
    Duration stockStaleness();

    /** Longest wait for one Redis call of a read ({@code STOREFRONT_CACHE_REDIS_TIMEOUT}, default 250ms). */
    @WithDefault("250ms")
    Duration redisTimeout();

    /** Consecutive failed Redis calls after which reads skip Redis for {@link #breakerOpenFor()} (default 5). */
    @WithDefault("5")
    int breakerFailures();

    /** How long reads skip Redis after {@link #breakerFailures()} consecutive failures (default 1s). */
    @WithDefault("1s")
    Duration breakerOpenFor();

    /**
     * Longest wait of a read for the same entry's database load already running on this node
     * ({@code STOREFRONT_CACHE_COALESCE_WAIT}, default 3s); then it loads for itself.
     */
    @WithDefault("3s")
    Duration coalesceWait();
}
