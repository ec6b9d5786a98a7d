package orders.internal.holds;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import platform.AcrossShops;
import orders.internal.sql.Jdbc;
import org.jboss.logging.Logger;
import platform.RoleGate;
import tenancy.TenantContext;

/**
 * Returns lapsed holds to stock, on each cell node every {@code storefront.holds.expiry-interval}: one read across
 * shops finds the oldest lapsed holds ({@link #BATCH} at most, by the partial index on {@code held_until}; the
 * {@code app.hold_expiry} policy lets that read, and only reads, see every shop's lines), then each shop's carts among
 * them are given back in that shop's own transaction ({@link CartHolds#expire}), skipping carts a shopper is changing.
 * A round goes on while batches come back full, up to {@link #MAX_BATCHES}: the work per round is bounded, and no
 * round reads the lines of shops without lapsed holds.
 *
 * <p>Metrics: {@code orders.holds.expired} (units returned to stock).
 */
@ApplicationScoped
public class HoldExpiry {

    private static final Logger LOG = Logger.getLogger(HoldExpiry.class);

    /** Lapsed lines read per batch. */
    static final int BATCH = 500;
    /** Batches per round at most. */
    static final int MAX_BATCHES = 20;

    @Inject AcrossShops acrossShops;
    @Inject TenantContext tenant;
    @Inject CartHolds holds;
    @Inject MeterRegistry registry;

    private Counter expired;

    @PostConstruct
    void metrics() {
        expired = Counter.builder("orders.holds.expired").description("Units of stock returned to sale by lapsed cart holds")
                .register(registry);
    }

    @Scheduled(every = "${storefront.holds.expiry-interval:1s}", delayed = "2s",
               skipExecutionIf = RoleGate.NotCell.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void round() {
        try {
            for (int batch = 0; batch < MAX_BATCHES && expireBatch(); batch++) {
                // a full batch that returned stock: there may be more
            }
        } catch (RuntimeException e) {
            LOG.warnf("Lapsed stock holds not returned this round (the next one tries again): %s", e.toString());
        }
    }

    /**
     * Reads one batch of lapsed holds and gives back each shop's; whether the batch was full and returned stock (carts
     * being changed are skipped, and may fill the next batch again).
     */
    boolean expireBatch() {
        Map<UUID, List<UUID>> cartsByShop = lapsed();
        int lines = cartsByShop.values().stream().mapToInt(List::size).sum();
        int units = 0;
        for (Map.Entry<UUID, List<UUID>> shop : cartsByShop.entrySet()) {
            try {
                units += tenant.callAs(shop.getKey(), () -> holds.expire(shop.getValue().stream().distinct().toList()));
            } catch (RuntimeException e) { // one shop's trouble (its statement timeout, say) does not hold up the others'
                LOG.warnf("Lapsed stock holds of shop %s not returned this time: %s", shop.getKey(), e.toString());
            }
        }
        expired.increment(units);
        return lines == BATCH && units > 0;
    }

    /** The carts of the oldest lapsed holds, by shop (a cart once per line). */
    private Map<UUID, List<UUID>> lapsed() {
        return acrossShops.call("app.hold_expiry", connection -> {
            Map<UUID, List<UUID>> found = new LinkedHashMap<>();
            Jdbc.list(connection, "select tenant_id, cart_id from orders_cart_line where held > 0 and held_until < now()"
                    + " order by held_until limit ?", row -> found.computeIfAbsent(row.getObject(1, UUID.class),
                            shop -> new ArrayList<>()).add(row.getObject(2, UUID.class)), BATCH);
            return found;
        });
    }
}
