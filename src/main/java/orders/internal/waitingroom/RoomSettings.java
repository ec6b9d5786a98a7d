package orders.internal.waitingroom;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.hibernate.Session;
import platform.AfterCommit;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * A shop's waiting-room switches and admission rate ({@code orders_waiting_room}), read by every checkout: each node keeps
 * what it read for {@link #KEPT}, and forgets it at once when the merchant changes it on this node (other nodes follow
 * within {@link #KEPT}).
 */
@ApplicationScoped
public class RoomSettings {

    /** How long a node keeps a shop's settings before it reads them again. */
    static final Duration KEPT = Duration.ofSeconds(2);
    /**
     * Whether the merchant has the shop's waiting room on, whether it turns itself on when checkouts come faster than it
     * admits them, and how many it admits per second.
     */
    public record Room(boolean enabled, boolean automatic, int admitPerSecond) {
        static final Room OFF = new Room(false, true, orders.WaitingRooms.DEFAULT_ADMIT_PER_SECOND);
    }

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject TransactionSynchronizationRegistry transactions;

    private final Cache<UUID, Room> kept = Caffeine.newBuilder().expireAfterWrite(KEPT).maximumSize(100_000).build();

    /** The bound shop's settings, as this node last read them (at most {@link #KEPT} ago). */
    public Room current() {
        UUID shop = tenant.require();
        Room room = kept.getIfPresent(shop);
        if (room == null) {
            room = read();
            kept.put(shop, room);
        }
        return room;
    }

    /** The bound shop's settings as saved. */
    @TenantTransactional
    public Room read() {
        UUID shop = tenant.require();
        return session().doReturningWork(c -> {
            try (PreparedStatement select = c.prepareStatement(
                    "select enabled, automatic, admit_per_second from orders_waiting_room where tenant_id = ?")) {
                select.setObject(1, shop);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? new Room(rows.getBoolean(1), rows.getBoolean(2), rows.getInt(3)) : Room.OFF;
                }
            }
        });
    }

    /** Saves the bound shop's settings; this node applies them from the commit on. */
    @TenantTransactional
    public Room save(Room room) {
        UUID shop = tenant.require();
        session().doWork(c -> {
            try (PreparedStatement upsert = c.prepareStatement("insert into orders_waiting_room (tenant_id, enabled, automatic,"
                    + " admit_per_second, updated_at) values (?, ?, ?, ?, ?) on conflict (tenant_id) do update"
                    + " set enabled = excluded.enabled, automatic = excluded.automatic,"
                    + " admit_per_second = excluded.admit_per_second, updated_at = excluded.updated_at")) {
                upsert.setObject(1, shop);
                upsert.setBoolean(2, room.enabled());
                upsert.setBoolean(3, room.automatic());
                upsert.setInt(4, room.admitPerSecond());
                upsert.setObject(5, OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
                upsert.executeUpdate();
            }
        });
        AfterCommit.run(transactions, () -> kept.invalidate(shop));
        return room;
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
