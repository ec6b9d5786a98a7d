package platform.internal.outbox;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.arc.WithCaching;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.RoleGate;
import platform.StorefrontConfig;
import platform.bulkhead.TenantBulkhead;

/**
 * Deletes published outbox rows older than {@code storefront.outbox.retention} from the node's
 * outbox (a cell's, or the control database's), a bounded batch per statement and a bounded number
 * of statements per run, so that it never holds long locks or competes with the relay for long.
 * Unpublished rows are never touched. Runs on cells and the control node, not on gateways.
 */
@Singleton
public class OutboxCleanup {

    private static final Logger LOG = Logger.getLogger(OutboxCleanup.class);

    @Inject StorefrontConfig config;
    @Inject TenantBulkhead bulkhead;
    @Inject @WithCaching @DataSource("cell") Instance<AgroalDataSource> cellDataSource;
    @Inject @WithCaching @DataSource("control") Instance<AgroalDataSource> controlDataSource;

    @Scheduled(identity = "outbox-cleanup", every = "${storefront.outbox.cleanup-every}", delayed = "${storefront.outbox.cleanup-every}",
            skipExecutionIf = RoleGate.NoOutbox.class, concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        try {
            int deleted = cleanUp();
            if (deleted > 0) {
                LOG.debugf("Outbox clean-up deleted %d published events", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warnf("Outbox clean-up failed, retried at the next run: %s", e.getMessage());
        }
    }

    /** Deletes published events older than the retention; returns how many. */
    public int cleanUp() {
        StorefrontConfig.OutboxCleanup settings = config.outbox();
        int total = 0;
        for (int i = 0; i < settings.cleanupMaxBatches(); i++) {
            int deleted = deleteBatch(settings.retention().toMillis(), settings.cleanupBatch());
            total += deleted;
            if (deleted < settings.cleanupBatch()) {
                break;
            }
        }
        return total;
    }

    private int deleteBatch(long retentionMillis, int batch) {
        return QuarkusTransaction.requiringNew().timeout(30).call(() -> {
            TenantBulkhead.Admission limits = bulkhead.admitTransaction(Optional.empty()); // before the connection is taken
            AgroalDataSource dataSource = config.role() == NodeRole.CONTROL ? controlDataSource.get() : cellDataSource.get();
            try (Connection connection = dataSource.getConnection()) {
                // the relay's policy admits every tenant's outbox rows in a cell (a no-op in the control database)
                OutboxRelay.relayMode(connection, config.role(), limits);
                try (PreparedStatement delete = connection.prepareStatement(
                        "delete from platform_outbox where (tenant_id, event_id) in (select tenant_id, event_id from platform_outbox"
                                + " where published_at < now() - make_interval(secs => ?) limit ? for update skip locked)")) {
                    delete.setDouble(1, retentionMillis / 1000.0);
                    delete.setInt(2, batch);
                    return delete.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
