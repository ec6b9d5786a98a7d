package tenancy.internal;

import com.github.benmanes.caffeine.cache.Ticker;
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
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import platform.AfterCommit;
import tenancy.TenantDirectory;
import tenancy.TenantRef;
import tenancy.internal.directory.DirectoryChannel;
import tenancy.internal.directory.LookupCache;

/**
 * Host and id lookups against the cell's tenant directory tables, cached in memory: shops found for
 * {@link #FOUND_TRUSTED} while this node hears every directory change of the cell ({@link DirectoryChannel}),
 * else for {@link #FOUND}; unknown hosts and ids for 1 s in a separate, smaller cache (see
 * {@link LookupCache}), so that invented Host headers cannot hammer the database nor evict the shops the
 * cell serves. A cell with tens of thousands of shops would otherwise read its directory again on nearly
 * every request of a shop that is not among its busiest.
 */
@ApplicationScoped
class TenantDirectoryImpl implements TenantDirectory {

    /** How long a found shop is served from memory while this node cannot be sure to hear of changes. */
    static final Duration FOUND = Duration.ofSeconds(2);
    /** How long a found shop is served from memory while every change reaches this node. */
    static final Duration FOUND_TRUSTED = Duration.ofMinutes(5);

    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> dataSource;
    @Inject MeterRegistry registry;
    @Inject DirectoryChannel channel;
    @Inject TransactionSynchronizationRegistry transactions;

    private LookupCache<String, TenantRef> byHost;
    private LookupCache<UUID, TenantRef> byId;

    private <K> LookupCache<K, TenantRef> cache() {
        return new LookupCache<>(100_000, FOUND, FOUND_TRUSTED, channel::live, 20_000, Duration.ofSeconds(1),
                Ticker.systemTicker());
    }

    /**
     * Host lookups by outcome ({@code tenancy.host.lookups}: hit, loaded, unknown_cached,
     * unknown_loaded), the entries held ({@code tenancy.host.cache.entries}: found, unknown) and whether
     * changes are heard ({@code tenancy.directory.channel.live}).
     */
    @PostConstruct
    void init() {
        byHost = cache();
        byId = cache();
        channel.onChange(this::forget);
        metrics();
    }

    private void metrics() {
        String name = "tenancy.host.lookups";
        String help = "Host lookups of the cell's tenant directory by outcome";
        FunctionCounter.builder(name, byHost, c -> c.stats().hits()).tag("outcome", "hit").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().loadedFound()).tag("outcome", "loaded").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().missingHits()).tag("outcome", "unknown_cached").description(help).register(registry);
        FunctionCounter.builder(name, byHost, c -> c.stats().loadedMissing()).tag("outcome", "unknown_loaded").description(help).register(registry);
        Gauge.builder("tenancy.host.cache.entries", byHost, LookupCache::foundSize).tag("kind", "found").register(registry);
        Gauge.builder("tenancy.host.cache.entries", byHost, LookupCache::missingSize).tag("kind", "unknown").register(registry);
        Gauge.builder("tenancy.directory.channel.live", channel, c -> c.live() ? 1 : 0)
                .description("1 while this node hears every change of the cell's tenant directory (its lookups are kept"
                        + " up to 5 minutes), 0 while it does not (kept 2 s)").register(registry);
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

    /**
     * Drops this node's cached lookups now, and every node's once the change is committed: a lookup
     * between now and the commit still reads the old rows, so the nodes forget again after it.
     */
    @Override
    public void invalidate() {
        forget();
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            AfterCommit.run(transactions, () -> {
                forget();
                channel.announce();
            });
        } else {
            channel.announce();
        }
    }

    private void forget() {
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
