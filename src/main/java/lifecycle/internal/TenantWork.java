package lifecycle.internal;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import platform.bulkhead.TenantBulkhead;

/**
 * One long transaction of the data lifecycle on one shop's rows (an export's snapshot, an import): admitted by the
 * bulkhead as background work before it takes a connection, bound to the tenant (row-level security admits only its
 * rows), with the job's own time bound instead of the background class's statement timeout (an export streams a big
 * table through one statement), timestamps written in UTC (so the same rows always give the same text).
 */
@ApplicationScoped
public class TenantWork {

    /** Work on the transaction's connection. */
    public interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    /** Looked up on use: the cell datasource is inactive on other roles. */
    @Inject @DataSource("cell") Instance<AgroalDataSource> cellDataSource;
    @Inject TenantBulkhead bulkhead;

    /**
     * Runs the work in a new transaction of at most {@code limit}; a {@code snapshot} transaction is read-only and sees
     * the tenant's rows as of its start (repeatable read) however long it runs.
     */
    public <T> T call(UUID tenant, boolean snapshot, Duration limit, Work<T> work) {
        int seconds = (int) Math.max(1, limit.toSeconds());
        return QuarkusTransaction.requiringNew().timeout(seconds).call(() -> {
            TenantBulkhead.Admission admission = bulkhead.admitTransaction(Optional.of(tenant));
            try (Connection connection = cellDataSource.get().getConnection()) {
                if (snapshot) {
                    try (Statement first = connection.createStatement()) {
                        first.execute("set transaction isolation level repeatable read, read only");
                    }
                }
                bulkhead.bindTenant(connection, tenant, admission);
                try (Statement settings = connection.createStatement()) {
                    settings.execute("set local statement_timeout = " + limit.toMillis() + "; set local timezone = 'UTC'");
                }
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
