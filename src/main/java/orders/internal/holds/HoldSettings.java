package orders.internal.holds;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.UUID;
import org.hibernate.Session;
import orders.StockHolds;
import orders.internal.sql.Jdbc;
import platform.AfterCommit;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * A shop's hold time ({@code orders_stock_hold}; none saved: holds off), read by every cart change: each node keeps what
 * it read for {@link #KEPT} and forgets it at once when the merchant changes it on this node.
 */
@ApplicationScoped
public class HoldSettings implements StockHolds {

    /** How long a node keeps a shop's hold time before it reads it again. */
    static final Duration KEPT = Duration.ofSeconds(2);

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject TransactionSynchronizationRegistry transactions;

    private final Cache<UUID, Integer> kept = Caffeine.newBuilder().expireAfterWrite(KEPT).maximumSize(100_000).build();

    /** The bound shop's hold time as this node last read it (at most {@link #KEPT} ago); zero when holds are off. */
    public Duration current() {
        return Duration.ofSeconds(kept.get(tenant.require(), shop -> holdSeconds()));
    }

    @Override
    @TenantTransactional
    public int holdSeconds() {
        UUID shop = tenant.require();
        Integer seconds = session().doReturningWork(c -> Jdbc.first(c,
                "select hold_seconds from orders_stock_hold where tenant_id = ?", row -> row.getInt(1), shop));
        return seconds == null ? 0 : seconds;
    }

    @Override
    @TenantTransactional
    public int save(int holdSeconds) {
        if (holdSeconds < 0 || holdSeconds > MAX_HOLD_SECONDS) {
            throw new IllegalArgumentException("holdSeconds out of range: " + holdSeconds);
        }
        UUID shop = tenant.require();
        session().doWork(c -> Jdbc.update(c, "insert into orders_stock_hold (tenant_id, hold_seconds, updated_at)"
                + " values (?, ?, now()) on conflict (tenant_id) do update set hold_seconds = excluded.hold_seconds,"
                + " updated_at = excluded.updated_at", shop, holdSeconds));
        AfterCommit.run(transactions, () -> kept.invalidate(shop));
        return holdSeconds;
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
