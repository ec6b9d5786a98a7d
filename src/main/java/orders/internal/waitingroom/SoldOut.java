package orders.internal.waitingroom;

import catalog.CatalogService;
import catalog.VariantView;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * Whether the variants of a waiting cart are sold out, as the node knew it at most {@link #FRESH} ago: thousands of
 * waiting shoppers asking about the same few variants cost one database read per variant and second on each node. Only
 * the waiting room asks: a checkout itself always takes stock with its conditional update.
 */
@ApplicationScoped
public class SoldOut {

    /** How old a variant's "sold out or not" may be. */
    static final Duration FRESH = Duration.ofSeconds(1);

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
        Map<UUID, Boolean> state = new HashMap<>();
        List<UUID> unknown = new ArrayList<>();
        for (UUID variant : variants) {
            Boolean soldOut = known.getIfPresent(new Key(shop, variant));
            if (soldOut == null) {
                unknown.add(variant);
            } else {
                state.put(variant, soldOut);
            }
        }
        if (!unknown.isEmpty()) {
            Map<UUID, Boolean> read = read(unknown);
            read.forEach((variant, soldOut) -> known.put(new Key(shop, variant), soldOut));
            state.putAll(read);
        }
        return state.values().stream().allMatch(Boolean::booleanValue);
    }

    @TenantTransactional
    Map<UUID, Boolean> read(List<UUID> variants) {
        Map<UUID, VariantView> found = catalog.variants(variants);
        Map<UUID, Boolean> soldOut = new HashMap<>();
        for (UUID v : variants) {
            VariantView view = found.get(v);
            soldOut.put(v, view == null || !view.purchasable() || view.available() <= 0);
        }
        return soldOut;
    }
}
