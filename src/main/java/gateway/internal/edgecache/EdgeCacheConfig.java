package gateway.internal.edgecache;

import io.smallrye.config.ConfigMapping;

/** Bounds of a gateway's edge cache. */
@ConfigMapping(prefix = "gateway.edge-cache")
public interface EdgeCacheConfig {

    /** Bytes the whole cache may hold (bodies, headers and keys; {@code GATEWAY_EDGE_CACHE_MAX_BYTES}). */
    long maxBytes();

    /** Bytes one shop's entries may hold ({@code GATEWAY_EDGE_CACHE_TENANT_MAX_BYTES}); over it, its own entries go. */
    long tenantMaxBytes();

    /** Longest body kept; bigger answers are forwarded, not kept ({@code GATEWAY_EDGE_CACHE_MAX_BODY_BYTES}). */
    int maxBodyBytes();
}
