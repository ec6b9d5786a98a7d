package tenancy.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tenancy.TenantDirectory;
import tenancy.TenantRef;

/**
 * Host and id lookups against the cell's tenant directory tables, cached in memory for
 * {@link #TTL_NANOS} (unknown hosts too, so that junk hosts cannot hammer the database).
 */
@ApplicationScoped
class TenantDirectoryImpl implements TenantDirectory {

    static final long TTL_NANOS = 2_000_000_000L;
    static final int MAX_ENTRIES = 200_000;

    private record Cached(Optional<TenantRef> tenant, long expiresAt) {}

    private final ConcurrentHashMap<String, Cached> byHost = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Cached> byId = new ConcurrentHashMap<>();

    @Inject @DataSource("cell") Instance<AgroalDataSource> dataSource;

    @Override
    public Optional<TenantRef> byHost(String host) {
        return cached(byHost, host, () -> query(
                "select t.tenant_id::text, t.handle, t.status, t.plan from tenancy_host h"
                        + " join tenancy_tenant t on t.tenant_id = h.tenant_id where h.host = ?", host));
    }

    @Override
    public Optional<TenantRef> byId(UUID tenantId) {
        return cached(byId, tenantId, () -> query(
                "select tenant_id::text, handle, status, plan from tenancy_tenant where tenant_id = ?::uuid",
                tenantId.toString()));
    }

    @Override
    public List<String> hosts(UUID tenantId) {
        try (Connection connection = dataSource.get().getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "select host from tenancy_host where tenant_id = ?::uuid order by host")) {
            statement.setString(1, tenantId.toString());
            List<String> hosts = new java.util.ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    hosts.add(rows.getString(1));
                }
            }
            return hosts;
        } catch (SQLException e) {
            throw new IllegalStateException("tenant directory lookup failed", e);
        }
    }

    @Override
    public void invalidate() {
        byHost.clear();
        byId.clear();
    }

    private <K> Optional<TenantRef> cached(ConcurrentHashMap<K, Cached> cache, K key,
                                           java.util.function.Supplier<Optional<TenantRef>> load) {
        long now = System.nanoTime();
        Cached hit = cache.get(key);
        if (hit != null && hit.expiresAt() - now > 0) {
            return hit.tenant();
        }
        Optional<TenantRef> tenant = load.get();
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Cached(tenant, now + TTL_NANOS));
        return tenant;
    }

    private Optional<TenantRef> query(String sql, String parameter) {
        try (Connection connection = dataSource.get().getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new TenantRef(UUID.fromString(rows.getString(1)), rows.getString(2),
                        rows.getString(3), rows.getString(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("tenant directory lookup failed", e);
        }
    }
}
