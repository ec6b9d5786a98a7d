package orders.internal.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import platform.AcrossShops;
import platform.BoundedDeletes;
import orders.internal.sql.Jdbc;
import org.jboss.logging.Logger;
import platform.RoleGate;

/**
 * Deletes abandoned carts, on each cell node every {@code CART_CLEANUP_EVERY}: carts created and last changed more
 * than {@code CART_RETENTION} ago (30 days), with their lines, unless a line still holds stock (its hold returns first,
 * ADR 0029). A batch is one statement over every shop of the cell ({@link #BATCH} carts, oldest first, through the index
 * on {@code created_at}; the {@code app.cart_retention} policy admits reading and deleting carts only), a run at most
 * {@link #MAX_BATCHES} of them or {@link BoundedDeletes#RUN_BUDGET}. A cart changed while its batch runs is kept: the
 * delete checks the cart's last change again on the row it locks, and a cart change locks the same row first.
 *
 * <p>Metrics: {@code orders.carts.deleted}.
 */
@ApplicationScoped
public class CartRetention {

    private static final Logger LOG = Logger.getLogger(CartRetention.class);

    /** Carts per statement. */
    static final int BATCH = 500;
    /** Statements per run at most (a run also stops after {@link BoundedDeletes#RUN_BUDGET}). */
    static final int MAX_BATCHES = 400;

    @Inject CartRetentionConfig config;
    @Inject AcrossShops acrossShops;
    @Inject MeterRegistry registry;

    private Counter deleted;

    @PostConstruct
    void metrics() {
        deleted = Counter.builder("orders.carts.deleted").description("Abandoned carts deleted by the retention").register(registry);
    }

    @Scheduled(identity = "cart-retention", every = "${storefront.carts.cleanup-every}", delayed = "10s",
               skipExecutionIf = RoleGate.NotCell.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            long until = System.nanoTime() + BoundedDeletes.RUN_BUDGET.toNanos();
            for (int batch = 0; batch < MAX_BATCHES && System.nanoTime() < until; batch++) {
                int carts = deleteBatch();
                deleted.increment(carts);
                if (carts < BATCH) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("Abandoned carts not deleted this run (the next one tries again): %s", e.toString());
        }
    }

    /** Deletes one batch of abandoned carts; how many. */
    int deleteBatch() {
        double seconds = config.retention().toMillis() / 1000.0;
        return acrossShops.call("app.cart_retention", connection -> {
            Long carts = Jdbc.first(connection, "with old as (select c.tenant_id, c.cart_id from orders_cart c"
                    + " where c.created_at < now() - make_interval(secs => ?) and c.updated_at < now() - make_interval(secs => ?)"
                    + " and not exists (select 1 from orders_cart_line l where l.tenant_id = c.tenant_id and l.cart_id = c.cart_id"
                    + " and l.held > 0) order by c.created_at limit ?),"
                    + " gone as (delete from orders_cart c using old where c.tenant_id = old.tenant_id and c.cart_id = old.cart_id"
                    + " and c.updated_at < now() - make_interval(secs => ?) returning c.tenant_id, c.cart_id),"
                    + " lines as (delete from orders_cart_line l using gone where l.tenant_id = gone.tenant_id"
                    + " and l.cart_id = gone.cart_id)"
                    + " select count(*) from gone", row -> row.getLong(1), seconds, seconds, BATCH, seconds);
            return carts == null ? 0 : carts.intValue();
        });
    }
}
