package orders.internal.waitingroom;

import catalog.CatalogService;
import catalog.VariantView;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * Whether the variants of a waiting cart are sold out, as the node knew it at most {@link #FRESH} ago: thousands of
 * waiting shoppers asking about the same few variants cost one database read per variant and {@link #FRESH} on each
 * node (the first to ask reads it; the others asking meanwhile wait for that read). Only the waiting room asks: a
 * checkout itself always takes stock with its conditional update.
 */
@ApplicationScoped
public class SoldOut {

    /** How old a variant's "sold out or not" may be. */
    static final Duration FRESH = Duration.ofMillis(250);

    @Inject CatalogService catalog;

    /** A variant of a shop (keyed by both: what one shop was told never answers another). */
    private record Key(UUID shop, UUID variant) {}

    @Inject TenantContext tenant;

    /** Whether a shop's variant is sold out or off sale. */
    private final Cache<Key, Boolean> known = Caffeine.newBuilder().expireAfterWrite(FRESH).maximumSize(200_000).build();

    /** Whether every one of these variants of the bound shop is sold out (or off sale); false for none. */
    public boolean every(List<UUID> variants) {
        if (variants.isEmpty()) {
            return false;
        }
        UUID shop = tenant.require();
        for (UUID variant : variants) {
            if (!known.get(new Key(shop, variant), key -> read(key.variant()))) {
                return false;
            }
        }
        return true;
    }

    @TenantTransactional
    boolean read(UUID variant) {
        VariantView view = catalog.variants(List.of(variant)).get(variant);
        return view == null || !view.purchasable() || view.available() <= 0;
    }
}
