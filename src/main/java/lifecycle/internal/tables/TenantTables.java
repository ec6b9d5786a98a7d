package lifecycle.internal.tables;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The tenant-owned tables of this cell's database, read from its catalogue: every table of the schema with a
 * {@code tenant_id} column (partitioned parents, not their partitions), each with its role from its comment, its
 * columns, primary key, secret columns and identity columns; and the schema's version (the changesets applied). Read
 * once per node (the schema changes only with a new release, which restarts the node).
 */
@ApplicationScoped
public class TenantTables {

    /** The tables and the schema version they belong to. */
    public record Catalogue(List<TenantTable> tables, int schemaVersion, String lastChange) {

        public Catalogue {
            tables = List.copyOf(tables);
        }

        /** The table of this name, if the tenant owns one. */
        public java.util.Optional<TenantTable> table(String name) {
            return tables.stream().filter(t -> t.name().equals(name)).findFirst();
        }

        /** The tables an export of this scope carries, in archive order (by name). */
        public List<TenantTable> exported(TenantTable.Scope scope) {
            return tables.stream().filter(t -> t.role().exported(scope)).toList();
        }
    }

    static final String TABLES = "select c.relname::text, coalesce(obj_description(c.oid, 'pg_class'), ''),"
            + " array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0"
            + "   and not a.attisdropped and a.attgenerated = '' order by a.attnum),"
            + " array(select a.attname::text from pg_index i join pg_attribute a on a.attrelid = i.indrelid"
            + "   and a.attnum = any(i.indkey) where i.indrelid = c.oid and i.indisprimary"
            + "   order by array_position(i.indkey::int2[], a.attnum)),"
            + " array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0"
            + "   and not a.attisdropped and col_description(c.oid, a.attnum) like 'lifecycle: secret%' order by a.attnum),"
            + " array(select a.attname::text from pg_attribute a where a.attrelid = c.oid and a.attnum > 0"
            + "   and not a.attisdropped and a.attidentity <> '' order by a.attnum)"
            + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where n.nspname = current_schema() and c.relkind in ('r', 'p') and not c.relispartition"
            + "   and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)"
            + " order by c.relname";
    static final String VERSION = "select count(*)::int, (select id from databasechangelog order by orderexecuted desc, dateexecuted desc limit 1)"
            + " from databasechangelog";

    /** Looked up on use: the cell datasource is inactive on other roles. */
    @Inject @DataSource("cell") Instance<AgroalDataSource> cellDataSource;

    private volatile Catalogue catalogue;

    /** The catalogue of this cell's database. */
    public Catalogue catalogue() {
        Catalogue known = catalogue;
        if (known == null) {
            known = read();
            catalogue = known;
        }
        return known;
    }

    private Catalogue read() {
        try (Connection connection = cellDataSource.get().getConnection(); Statement statement = connection.createStatement()) {
            List<TenantTable> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(TABLES)) {
                while (rows.next()) {
                    tables.add(new TenantTable(rows.getString(1), TenantTable.Role.ofComment(rows.getString(2)),
                            strings(rows.getArray(3)), strings(rows.getArray(4)), strings(rows.getArray(5)), strings(rows.getArray(6))));
                }
            }
            try (ResultSet rows = statement.executeQuery(VERSION)) {
                rows.next();
                return new Catalogue(tables, rows.getInt(1), rows.getString(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the catalogue of tenant tables", e);
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
