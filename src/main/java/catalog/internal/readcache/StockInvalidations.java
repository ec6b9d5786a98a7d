package catalog.internal.readcache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Invalidations of a shop's storefront answers for changes of stock levels alone, as checkouts make them: at most one
 * per {@link ReadCacheConfig#stockStaleness()} per shop and node. A shop selling a hundred units a second would
 * otherwise empty its cached catalogue a hundred times a second, and send every read of the sale to the database. The
 * first change after a quiet period invalidates at once; the changes that follow within the period are folded into one
 * invalidation at its end, so a stock level shown is never older than the period. A variant that sells out
 * invalidates at once, whatever the period: "sold out" is what a shopper must not wait for.
 */
@ApplicationScoped
public class StockInvalidations {

    /** A shop's last invalidation on this node, and whether one is already due at the end of the period. */
    private static final class Shop {
        long lastNanos;
        boolean due;
    }

    @Inject ReadCacheConfig config;
    @Inject StorefrontReadCache cache;

    private final Cache<UUID, Shop> shops = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stock-invalidations").daemon().factory());
    LongSupplier clock = System::nanoTime;

    /** Called after a commit that changed the stock of the shop's variants; {@code soldOut}: one of them reached zero. */
    public void stockChanged(UUID tenant, boolean soldOut) {
        long period = config.stockStaleness().toNanos();
        Shop shop = shops.get(tenant, t -> {
            Shop fresh = new Shop();
            fresh.lastNanos = clock.getAsLong() - period;
            return fresh;
        });
        long delay;
        synchronized (shop) {
            long now = clock.getAsLong();
            long since = now - shop.lastNanos;
            if (soldOut || since >= period) {
                shop.lastNanos = now;
                delay = 0;
            } else if (shop.due) {
                return; // folded into the invalidation already due
            } else {
                shop.due = true;
                delay = period - since;
            }
        }
        if (delay == 0) {
            cache.invalidate(tenant);
        } else {
            timer.schedule(() -> due(tenant, shop), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void due(UUID tenant, Shop shop) {
        synchronized (shop) {
            shop.due = false;
            shop.lastNanos = clock.getAsLong();
        }
        cache.invalidate(tenant);
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }
}
