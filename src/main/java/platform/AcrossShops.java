package platform;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Pattern;
import platform.bulkhead.TenantBulkhead;

/**
 * A short transaction of a cell's background job over every shop of the cell: admitted by the bulkhead as background
 * work (its limits set), then put in the job's mode, a transaction-local setting that the job's row-level policies
 * test ({@code app.hold_expiry}, {@code app.cart_retention}, {@code app.lifecycle_sweep}), in one round trip; the work gets the connection.
 */
@ApplicationScoped
public class AcrossShops {

    /** The settings a job's mode may name. */
    private static final Pattern MODE = Pattern.compile("app\\.[a-z_]+");

    /** Work on the transaction's connection. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Looked up on use: the cell datasource is inactive on other roles, where no job runs. */
    @Inject @DataSource("cell") Instance<AgroalDataSource> cellDataSource;
    @Inject TenantBulkhead bulkhead;

    /** Runs the work in a new transaction (at most 30 s) with {@code mode} ({@code app.<name>}) on. */
    public <T> T call(String mode, Work<T> work) {
        if (!MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException("not a job's mode: " + mode);
        }
        return QuarkusTransaction.requiringNew().timeout(30).call(() -> {
            TenantBulkhead.Admission limits = bulkhead.admitTransaction(Optional.empty()); // before the connection is taken
            try (Connection connection = cellDataSource.get().getConnection()) {
                try (PreparedStatement set = connection.prepareStatement("select set_config(?, 'on', true), "
                        + TenantBulkhead.Admission.SET_LIMITS)) {
                    set.setString(1, mode);
                    limits.bindLimits(set, 2);
                    set.execute();
                }
                return work.run(connection);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
