package tenancy.internal;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import jakarta.annotation.PostConstruct;
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
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import tenancy.TenantDirectory;
import tenancy.internal.directory.LookupCache;
import tenancy.TenantRef;

/**
 * Host and id lookups against the cell's tenant directory tables, cached in memory: shops found
 * for 2 s, unknown hosts and ids for 1 s in a separate, smaller cache (see {@link LookupCache}), so
 * that invented Host headers cannot hammer the database nor evict the shops the cell serves.
 */
@ApplicationScoped
class TenantDirectoryImpl implements TenantDirectory {

    private final LookupCache<String, TenantRef> byHost = cache();
    private final LookupCache<UUID, TenantRef> byId = cache();

    private static <K> LookupCache<K, TenantRef> cache() {
        return new LookupCache<>(200_000, Duration.ofSeconds(2), 20_000, Duration.ofSeconds(1), Ticker.systemTicker());
    }

    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> dataSource;
    @Inject MeterRegistry registry;

    /**
     * Host lookups by outcome ({@code tenancy.host.lookups}: hit, loaded, unknown_cached,
     * unknown_loaded) and the entries held ({@code tenancy.host.cache.entries}: found, unknown).
     */
    @PostConstruct
    void metrics() {
        String name = "tenancy.host.lookups";
        String help = "Host lookups of the cell's tenant directory by outcome";
        FunctionCounter.builder(name, byHost, c -> c.stats().hits()).tag("outcome", "hit").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().loadedFound()).tag("outcome", "loaded").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().missingHits()).tag("outcome", "unknown_cached").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().loadedMissing()).tag("outcome", "unknown_loaded").description(help).register(registry);
        Gauge.builder("tenancy.host.cache.entries", byHost, LookupCache::foundSize).tag("kind", "found").register(registry);
        Gauge.builder("tenancy.host.cache.entries", byHost, LookupCache::missingSize).tag("kind", "unknown").register(registry);
    }

    @Override
    public Optional<TenantRef> byHost(String host) {
        return byHost.get(host, h -> query(
                "select t.tenant_id::text, t.handle, t.status, t.plan from tenancy_host h"
                        + " join tenancy_tenant t on t.tenant_id = h.tenant_id where h.host = ?", h));
    }

    @Override
    public Optional<TenantRef> byId(UUID tenantId) {
        return byId.get(tenantId, id -> query(
                "select tenant_id::text, handle, status, plan from tenancy_tenant where tenant_id = ?::uuid",
                id.toString()));
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
        byHost.invalidateAll();
        byId.invalidateAll();
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
