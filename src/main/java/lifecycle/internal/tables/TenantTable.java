package lifecycle.internal.tables;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A tenant-owned table of the cell database (it has a {@code tenant_id} column), as its catalogue describes it, and the
 * statements the export, import and purge run on it. Names come from the catalogue and are checked and quoted anyway.
 *
 * @param name     the table (a partitioned parent, never one of its partitions)
 * @param role     what the data lifecycle does with it, from its comment ({@code lifecycle: <role>})
 * @param columns  its columns in order, generated ones left out, {@code tenant_id} included
 * @param key      its primary key's columns in order ({@code tenant_id} first)
 * @param secrets  columns whose values an owner's export leaves out ({@code lifecycle: secret} on the column)
 * @param identity columns filled by an identity (written with {@code OVERRIDING SYSTEM VALUE})
 */
public record TenantTable(String name, Role role, List<String> columns, List<String> key, List<String> secrets,
                          List<String> identity) {

    /** The tenant column every tenant-owned table has. */
    public static final String TENANT = "tenant_id";
    /** What a secret column holds in an owner's export: a value no password or token check accepts. */
    public static final String REDACTED = "redacted";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** What the data lifecycle does with a table. */
    public enum Role {
        /** The shop's data: exported, imported, purged (every table without a comment saying otherwise). */
        DATA,
        /** Data provisioning writes for a new shop (its owner): exported; an import replaces it; purged. */
        SEEDED,
        /** Credentials (API tokens, invitations): in an operator's export only; imported from it; purged. */
        CREDENTIALS,
        /** The cell's work in flight (outbox, idempotency keys, export jobs): never exported; purged. */
        TRANSIENT,
        /** The cell's directory of the shop (its id, handle and hosts), written by provisioning: purged last. */
        DIRECTORY;

        /** The role a table's comment names ({@code lifecycle: transient}); no such comment: {@link #DATA}. */
        public static Role ofComment(String comment) {
            if (comment == null) {
                return DATA;
            }
            String text = comment.strip();
            if (!text.startsWith("lifecycle:")) {
                return DATA;
            }
            String role = text.substring("lifecycle:".length()).strip().toUpperCase(java.util.Locale.ROOT);
            for (Role candidate : values()) {
                if (candidate.name().equals(role)) {
                    return candidate;
                }
            }
            throw new IllegalArgumentException("unknown lifecycle role in a table comment: " + comment);
        }

        /** Whether an export of this scope carries the table. */
        public boolean exported(Scope scope) {
            return this == DATA || this == SEEDED || (this == CREDENTIALS && scope == Scope.FULL);
        }
    }

    /** Who an export is for. */
    public enum Scope {
        /** The shop's owner: no credentials, secrets redacted; not importable. */
        OWNER,
        /** An operator (backups, moves): everything the shop owns. */
        FULL;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TenantTable {
        check(name);
        Objects.requireNonNull(role);
        columns.forEach(TenantTable::check);
        key.forEach(TenantTable::check);
        secrets.forEach(TenantTable::check);
        identity.forEach(TenantTable::check);
        if (!columns.contains(TENANT)) {
            throw new IllegalArgumentException(name + " has no " + TENANT + " column");
        }
        columns = List.copyOf(columns);
        key = List.copyOf(key);
        secrets = List.copyOf(secrets);
        identity = List.copyOf(identity);
    }

    /** The columns an archive carries for each row: all but {@code tenant_id} (an archive can go to another tenant id). */
    public List<String> archivedColumns() {
        return columns.stream().filter(c -> !c.equals(TENANT)).toList();
    }

    /**
     * The rows of the bound tenant, one JSON object per row (the archived columns; secrets redacted for an owner), in
     * primary-key order so that the same rows always give the same text. One parameter: the tenant id.
     */
    public String exportQuery(Scope scope) {
        List<String> pairs = archivedColumns().stream()
                .map(c -> "'" + c + "', " + (scope == Scope.OWNER && secrets.contains(c) ? "'" + REDACTED + "'" : "t." + quote(c)))
                .toList();
        List<String> objects = new java.util.ArrayList<>(); // a function takes at most 100 arguments: 50 columns an object
        for (int i = 0; i < pairs.size(); i += 50) {
            objects.add(String.join(", ", pairs.subList(i, Math.min(pairs.size(), i + 50))));
        }
        String object = objects.isEmpty() ? "'{}'::jsonb"
                : objects.stream().map(o -> "jsonb_build_object(" + o + ")").collect(Collectors.joining(" || "));
        String order = key.stream().filter(c -> !c.equals(TENANT)).map(c -> "t." + quote(c)).collect(Collectors.joining(", "));
        return "select (" + object + ")::text from " + quote(name) + " t where t." + TENANT + " = ?"
                + (order.isEmpty() ? "" : " order by " + order);
    }

    /**
     * Inserts rows given as a JSON array of objects with the given columns (a subset of {@link #archivedColumns()}: an
     * archive of an older schema lacks later columns, which take their defaults) for the tenant. Parameters: the tenant
     * id, the JSON array.
     */
    public String importStatement(List<String> present) {
        for (String column : present) {
            if (!archivedColumns().contains(column)) {
                throw new IllegalArgumentException(name + " has no column " + column);
            }
        }
        String list = present.stream().map(TenantTable::quote).collect(Collectors.joining(", "));
        String values = present.stream().map(c -> "r." + quote(c)).collect(Collectors.joining(", "));
        boolean overriding = present.stream().anyMatch(identity::contains);
        return "insert into " + quote(name) + " (" + TENANT + (list.isEmpty() ? "" : ", " + list) + ")"
                + (overriding ? " overriding system value" : "")
                + " select ?" + (values.isEmpty() ? "" : ", " + values)
                + " from jsonb_populate_recordset(null::" + quote(name) + ", ?::jsonb) r";
    }

    /** Whether the bound tenant has any row here. One parameter: the tenant id. */
    public String anyRowQuery() {
        return "select exists (select 1 from " + quote(name) + " where " + TENANT + " = ?)";
    }

    /** Deletes every row of the tenant. One parameter: the tenant id. */
    public String deleteAll() {
        return "delete from " + quote(name) + " where " + TENANT + " = ?";
    }

    /**
     * Deletes at most {@code limit} rows of the tenant (by primary key, or by row address for a table without one: every
     * row of a tenant lies in one partition). Two parameters: the tenant id, twice.
     */
    public String deleteBatch(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a batch deletes at least one row");
        }
        List<String> rest = key.stream().filter(c -> !c.equals(TENANT)).map(TenantTable::quote).toList();
        if (rest.isEmpty() && key.contains(TENANT)) {
            return "delete from " + quote(name) + " where " + TENANT + " = ? and " + TENANT + " = ?"; // one row at most
        }
        String columns = rest.isEmpty() ? "ctid" : String.join(", ", rest);
        return "delete from " + quote(name) + " where " + TENANT + " = ? and (" + columns + ") in (select " + columns + " from "
                + quote(name) + " where " + TENANT + " = ? limit " + limit + ")";
    }

    static String quote(String identifier) {
        check(identifier);
        return "\"" + identifier + "\"";
    }

    private static void check(String identifier) {
        if (identifier == null || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException("not a plain identifier: " + identifier);
        }
    }
}
