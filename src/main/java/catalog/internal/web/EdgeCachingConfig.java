package catalog.internal.web;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;

/** How shared caches in front of a cell (the gateways' edge cache) may keep the storefront's public reads. */
@ConfigMapping(prefix = "catalog.edge")
public interface EdgeCachingConfig {

    /** {@code s-maxage}: how long a shared cache serves an answer without asking the cell ({@code STOREFRONT_EDGE_MAX_AGE}). */
    Duration maxAge();

    /** {@code stale-while-revalidate}: how much longer it may serve it while one refresh runs. */
    Duration staleWhileRevalidate();

    /** {@code stale-if-error}: how much longer it may serve it while the cell fails. */
    Duration staleIfError();
}
