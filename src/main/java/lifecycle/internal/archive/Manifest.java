package lifecycle.internal.archive;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The last entry of a tenant archive ({@value #ENTRY}): what it holds and how to check it. Each table's rows are the
 * entry {@code tables/<table>.ndjson}, one JSON object per line, in primary-key order; {@code sha256} is the digest of
 * that entry's bytes (hex).
 *
 * @param format        the archive format ({@value #FORMAT})
 * @param scope         {@code full} (an operator's: importable) or {@code owner} (the shop owner's: no credentials,
 *                      secrets redacted, not importable)
 * @param tenantId      the shop the rows were exported from
 * @param handle        its handle then
 * @param cellId        the cell it was on
 * @param schemaVersion the number of schema changes the cell had applied (an import needs at least as many)
 * @param lastChange    the last of them
 * @param exportedAt    when the snapshot was taken
 * @param tables        the tables, by name
 * @param rows          rows in all
 */
public record Manifest(int format, String scope, UUID tenantId, String handle, String cellId, int schemaVersion,
                       String lastChange, Instant exportedAt, List<Table> tables, long rows) {

    public static final int FORMAT = 1;
    public static final String ENTRY = "manifest.json";
    public static final String TABLE_PREFIX = "tables/";
    public static final String TABLE_SUFFIX = ".ndjson";

    /** One table of the archive: its columns as the archive's rows carry them, their number and digest. */
    public record Table(String name, List<String> columns, long rows, String sha256) {}

    /** The archive entry of a table's rows. */
    public static String entryOf(String table) {
        return TABLE_PREFIX + table + TABLE_SUFFIX;
    }
}
