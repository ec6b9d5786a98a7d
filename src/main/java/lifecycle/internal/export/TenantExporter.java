package lifecycle.internal.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongConsumer;
import lifecycle.internal.TenantWork;
import lifecycle.internal.archive.ArchiveWriter;
import lifecycle.internal.archive.Manifest;
import lifecycle.internal.tables.TenantTable;
import lifecycle.internal.tables.TenantTables;
import platform.StorefrontConfig;

/**
 * Writes every row a shop owns into an archive, from one snapshot of the cell database (a read-only repeatable-read
 * transaction, so the tables agree with each other however long it takes), table by table in name order, rows in
 * primary-key order, streamed with a cursor ({@value #FETCH_ROWS} rows at a time): the node holds one fetch, never a
 * table. Which tables: {@link TenantTables} (the catalogue's, never a list kept by hand).
 */
@ApplicationScoped
public class TenantExporter {

    /** Rows fetched from PostgreSQL at a time. */
    static final int FETCH_ROWS = 1_000;

    @Inject TenantTables tables;
    @Inject TenantWork work;
    @Inject ObjectMapper json;
    @Inject StorefrontConfig config;
    @Inject Clock clock;

    /**
     * Exports the shop's rows into {@code out} (not closed) and returns the manifest written last.
     *
     * @param progress told the rows written so far, every {@value #FETCH_ROWS} rows or so
     */
    public Manifest export(UUID tenant, TenantTable.Scope scope, OutputStream out, Duration limit, LongConsumer progress) {
        TenantTables.Catalogue catalogue = tables.catalogue();
        java.time.Instant takenAt = clock.instant();
        return work.call(tenant, true, limit, connection -> {
            String handle = handle(connection, tenant);
            ArchiveWriter writer = new ArchiveWriter(out, json);
            long written = 0;
            for (TenantTable table : catalogue.exported(scope)) {
                ArchiveWriter.TableSink sink = writer.table(table.name(), table.archivedColumns());
                try (PreparedStatement rows = connection.prepareStatement(table.exportQuery(scope))) {
                    rows.setFetchSize(FETCH_ROWS);
                    rows.setObject(1, tenant);
                    try (ResultSet result = rows.executeQuery()) {
                        while (result.next()) {
                            sink.row(result.getString(1));
                            if (++written % FETCH_ROWS == 0) {
                                progress.accept(written);
                            }
                        }
                    }
                }
            }
            long total = written;
            return writer.finish(listed -> new Manifest(Manifest.FORMAT, scope.wire(), tenant, handle, config.cell().value(),
                    catalogue.schemaVersion(), catalogue.lastChange(), takenAt, listed, total));
        });
    }

    private static String handle(Connection connection, UUID tenant) throws java.sql.SQLException {
        try (PreparedStatement statement = connection.prepareStatement("select handle from tenancy_tenant where tenant_id = ?")) {
            statement.setObject(1, tenant);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
