package platform.internal.db;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import platform.StorefrontConfig;

/**
 * The node's view of whether its own database can be reached. When a request finds the database
 * gone (a refused or broken connection, a database closed to connections or shutting down), the
 * breaker opens: requests are answered 503 at once instead of each waiting for the connection pool
 * to fail to connect, and a background probe, not the requests, opens a fresh connection every
 * {@link #PROBE_INTERVAL} until one works; then the breaker closes.
 */
@ApplicationScoped
public class DatabaseBreaker {

    private static final Logger LOG = Logger.getLogger(DatabaseBreaker.class);
    static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    @Inject StorefrontConfig config;
    @Inject @Any Instance<AgroalDataSource> dataSources;

    private final AtomicBoolean open = new AtomicBoolean();

    /** Whether requests should be refused now because the database is unreachable. */
    public boolean isOpen() {
        return open.get();
    }

    /** A request found the database unreachable: open the breaker and probe until it is back. */
    public void databaseUnreachable(String reason) {
        Optional<String> database = SchemaMigrator.databaseOf(config.role());
        if (database.isEmpty() || !open.compareAndSet(false, true)) {
            return;
        }
        LOG.warnf("The %s database is unreachable (%s): answering 503 until a probe connects again", database.get(), reason);
        AgroalDataSource dataSource = dataSources.select(new DataSource.DataSourceLiteral(database.get())).get();
        Thread.ofVirtual().name("database-probe").start(() -> probeUntilBack(database.get(), dataSource));
    }

    private void probeUntilBack(String database, AgroalDataSource dataSource) {
        long started = System.nanoTime();
        while (open.get()) {
            try {
                Thread.sleep(PROBE_INTERVAL); // probe interval: requests do not wait for it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                open.set(false);
                return;
            }
            try (Connection connection = dataSource.getConnection()) {
                if (connection.isValid(1)) {
                    open.set(false);
                    LOG.infof("The %s database is reachable again after %d ms", database,
                            (System.nanoTime() - started) / 1_000_000);
                }
            } catch (Exception stillDown) {
                LOG.debugf("The %s database is still unreachable: %s", database, stillDown.getMessage());
            }
        }
    }
}
