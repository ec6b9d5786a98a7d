package lifecycle.internal.importing;

import catalog.StorefrontCache;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import lifecycle.internal.TenantWork;
import lifecycle.internal.archive.ArchiveException;
import lifecycle.internal.archive.ArchiveReader;
import lifecycle.internal.archive.Manifest;
import lifecycle.internal.tables.TenantTable;
import lifecycle.internal.tables.TenantTables;

/**
 * Loads an operator's archive ({@code full} scope) into a shop of this cell that holds no data yet, in one transaction:
 * rows are inserted as they are read ({@value #BATCH_ROWS} at a time), the archive is checked against its manifest at
 * its end, and anything wrong (a truncated or altered table, a schema newer than this cell's, an owner's export) rolls
 * everything back: nothing is ever half-imported. The rows provisioning made for the new shop (its owner) are replaced
 * by the archive's. Importing the same archive again is recognised (the shop's rows give the manifest's checksums) and
 * changes nothing; into a shop with other data it is refused.
 */
@ApplicationScoped
public class TenantImporter {

    /** Rows inserted by one statement. */
    static final int BATCH_ROWS = 500;
    /** The most JSON text one statement carries. */
    static final int BATCH_CHARS = 4 * 1024 * 1024;

    @Inject TenantTables tables;
    @Inject TenantWork work;
    @Inject ObjectMapper json;
    @Inject StorefrontCache cache;

    /** What an import did. */
    public record Imported(boolean alreadyThere, Map<String, Long> rows, long total, String sourceHandle, UUID sourceTenant) {}

    /** The shop is not empty (and does not hold this archive's rows either). */
    public static class NotEmpty extends Exception {
        public NotEmpty(String table) {
            super("the shop already holds rows of " + table + ": an archive is imported into a shop with no data only");
        }
    }

    /** The shop is not one this cell serves. */
    public static class UnknownShop extends Exception {
        public UnknownShop(UUID tenant) {
            super("no shop " + tenant + " on this cell");
        }
    }

    public Imported load(UUID tenant, InputStream archive, Duration limit) throws ArchiveException, NotEmpty, UnknownShop {
        TenantTables.Catalogue catalogue = tables.catalogue();
        try {
            Imported imported = work.call(tenant, false, limit, connection -> run(connection, catalogue, tenant, archive));
            if (!imported.alreadyThere()) {
                cache.invalidate(tenant); // the empty shop's answers (an empty catalogue) are cached: they go
            }
            return imported;
        } catch (QuarkusTransactionException wrapped) {
            Throwable cause = wrapped.getCause();
            if (cause instanceof ArchiveException e) {
                throw e;
            }
            if (cause instanceof NotEmpty e) {
                throw e;
            }
            if (cause instanceof UnknownShop e) {
                throw e;
            }
            throw wrapped;
        }
    }

    private Imported run(Connection connection, TenantTables.Catalogue catalogue, UUID tenant, InputStream archive)
            throws Exception {
        try (PreparedStatement lock = connection.prepareStatement(
                "select pg_advisory_xact_lock(hashtext('lifecycle-import'), hashtext(?)), exists (select 1 from tenancy_tenant where tenant_id = ?"
                        + " and status <> 'removed')")) {
            lock.setString(1, tenant.toString());
            lock.setObject(2, tenant);
            try (ResultSet row = lock.executeQuery()) {
                row.next();
                if (!row.getBoolean(2)) {
                    throw new UnknownShop(tenant);
                }
            }
        }
        List<TenantTable> importable = catalogue.exported(TenantTable.Scope.FULL);
        Optional<String> occupied = Optional.empty();
        for (TenantTable table : importable) {
            if (table.role() == TenantTable.Role.DATA && anyRow(connection, table, tenant)) {
                occupied = Optional.of(table.name());
                break;
            }
        }
        if (occupied.isPresent()) {
            return compare(connection, catalogue, tenant, archive, occupied.get());
        }
        for (TenantTable table : importable) {
            if (table.role() != TenantTable.Role.DATA) { // what provisioning made (the owner), and any token of it
                try (PreparedStatement delete = connection.prepareStatement(table.deleteAll())) {
                    delete.setObject(1, tenant);
                    delete.executeUpdate();
                }
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<String>> columnsRead = new LinkedHashMap<>();
        try (ArchiveReader reader = new ArchiveReader(archive, json)) {
            Optional<ArchiveReader.TableRows> next;
            while ((next = reader.nextTable()).isPresent()) {
                ArchiveReader.TableRows rows = next.get();
                TenantTable table = catalogue.table(rows.name()).filter(t -> t.role().exported(TenantTable.Scope.FULL))
                        .orElseThrow(() -> new ArchiveException(rows.name(), "this cell has no table " + rows.name()
                                + " that an archive can fill (the archive is of a newer schema, or altered)"));
                long loaded = insert(connection, table, tenant, rows, columnsRead);
                counts.put(table.name(), loaded);
            }
            Manifest manifest = reader.manifest();
            reader.verify();
            check(manifest, catalogue, columnsRead);
            return new Imported(false, counts, counts.values().stream().mapToLong(Long::longValue).sum(), manifest.handle(),
                    manifest.tenantId());
        }
    }

    /** Inserts a table's rows in batches; returns how many. */
    private long insert(Connection connection, TenantTable table, UUID tenant, ArchiveReader.TableRows rows,
                        Map<String, List<String>> columnsRead) throws ArchiveException, SQLException {
        String line = rows.nextLine();
        if (line == null) {
            columnsRead.put(table.name(), List.of());
            return 0;
        }
        List<String> columns = keys(table.name(), line);
        columnsRead.put(table.name(), columns);
        for (String column : columns) {
            if (!table.archivedColumns().contains(column)) {
                throw new ArchiveException(table.name(), "the table " + table.name() + " of this cell has no column " + column
                        + " (the archive is of a newer schema, or altered)");
            }
        }
        long count = 0;
        try (PreparedStatement insert = connection.prepareStatement(table.importStatement(columns))) {
            StringBuilder batch = new StringBuilder("[");
            int inBatch = 0;
            while (line != null) {
                if (inBatch > 0) {
                    batch.append(',');
                }
                batch.append(line);
                inBatch++;
                count++;
                if (inBatch >= BATCH_ROWS || batch.length() >= BATCH_CHARS) {
                    flush(insert, tenant, batch, table.name());
                    batch.setLength(1);
                    inBatch = 0;
                }
                line = rows.nextLine();
            }
            if (inBatch > 0) {
                flush(insert, tenant, batch, table.name());
            }
        }
        return count;
    }

    private static void flush(PreparedStatement insert, UUID tenant, StringBuilder batch, String table) throws ArchiveException, SQLException {
        batch.append(']');
        insert.setObject(1, tenant);
        insert.setString(2, batch.toString());
        try {
            insert.executeUpdate();
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("22") || state.startsWith("23")) { // data exception, integrity constraint violation
                throw new ArchiveException(table, "the rows of " + table + " cannot be stored: " + firstLine(e.getMessage()), e);
            }
            throw e;
        }
    }

    /** The field names of a row's JSON object (in the order of its text: a jsonb object's, not the table's). */
    private List<String> keys(String table, String line) throws ArchiveException {
        List<String> keys = new ArrayList<>();
        try (JsonParser parser = json.getFactory().createParser(line)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new ArchiveException(table, "a row of " + table + " is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                keys.add(parser.currentName());
                parser.nextToken();
                parser.skipChildren();
            }
            if (token != JsonToken.END_OBJECT) {
                throw new ArchiveException(table, "a row of " + table + " is not a JSON object");
            }
        } catch (IOException e) {
            throw new ArchiveException(table, "a row of " + table + " is not valid JSON", e);
        }
        return keys;
    }

    private static void check(Manifest manifest, TenantTables.Catalogue catalogue, Map<String, List<String>> columnsRead)
            throws ArchiveException {
        if (!"full".equals(manifest.scope())) {
            throw new ArchiveException(null, "an owner's export leaves credentials out and cannot be imported: import an"
                    + " operator's export");
        }
        if (manifest.schemaVersion() > catalogue.schemaVersion()) {
            throw new ArchiveException(null, "the archive is of schema version " + manifest.schemaVersion() + " (" + manifest.lastChange()
                    + "), newer than this cell's " + catalogue.schemaVersion());
        }
        for (Manifest.Table table : manifest.tables()) {
            List<String> read = columnsRead.get(table.name());
            if (read != null && !read.isEmpty() && !new java.util.HashSet<>(read).equals(new java.util.HashSet<>(table.columns()))) {
                throw new ArchiveException(table.name(), "the rows of " + table.name() + " do not have the columns its manifest lists");
            }
        }
    }

    /**
     * The shop holds data: the import is a repeat when the shop's rows are exactly the archive's (same tables, rows and
     * checksums), else it is refused. Reads and verifies the whole archive either way.
     */
    private Imported compare(Connection connection, TenantTables.Catalogue catalogue, UUID tenant, InputStream archive,
                             String occupied) throws Exception {
        try (ArchiveReader reader = new ArchiveReader(archive, json)) {
            while (reader.nextTable().isPresent()) {
                // digests only
            }
            Manifest manifest = reader.manifest();
            reader.verify();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (Manifest.Table listed : manifest.tables()) {
                Optional<TenantTable> table = catalogue.table(listed.name());
                if (table.isEmpty()) {
                    throw new NotEmpty(occupied);
                }
                String[] digest = digest(connection, table.get(), tenant);
                if (Long.parseLong(digest[0]) != listed.rows() || !digest[1].equalsIgnoreCase(listed.sha256())) {
                    throw new NotEmpty(occupied);
                }
                counts.put(listed.name(), listed.rows());
            }
            return new Imported(true, counts, manifest.rows(), manifest.handle(), manifest.tenantId());
        }
    }

    /** Rows and SHA-256 (hex) of the table's rows of the tenant as a full export writes them. */
    private static String[] digest(Connection connection, TenantTable table, UUID tenant) throws SQLException {
        java.security.MessageDigest digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long rows = 0;
        try (PreparedStatement statement = connection.prepareStatement(table.exportQuery(TenantTable.Scope.FULL))) {
            statement.setFetchSize(1_000);
            statement.setObject(1, tenant);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    digest.update((result.getString(1) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    rows++;
                }
            }
        }
        return new String[] {Long.toString(rows), HexFormat.of().formatHex(digest.digest())};
    }

    private static boolean anyRow(Connection connection, TenantTable table, UUID tenant) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(table.anyRowQuery())) {
            statement.setObject(1, tenant);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getBoolean(1);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
