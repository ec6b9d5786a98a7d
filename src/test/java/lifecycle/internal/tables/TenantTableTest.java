package lifecycle.internal.tables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The statements of a tenant table, and the roles table comments give. */
class TenantTableTest {

    private static final TenantTable STAFF = new TenantTable("tenancy_staff", TenantTable.Role.SEEDED,
            List.of("tenant_id", "staff_id", "email", "password_hash"), List.of("tenant_id", "staff_id"), List.of("password_hash"), List.of());

    @Test
    void anExportReadsTheArchivedColumnsInKeyOrderAndRedactsSecretsForTheOwner() {
        assertEquals("select (jsonb_build_object('staff_id', t.\"staff_id\", 'email', t.\"email\", 'password_hash', t.\"password_hash\"))::text"
                + " from \"tenancy_staff\" t where t.tenant_id = ? order by t.\"staff_id\"", STAFF.exportQuery(TenantTable.Scope.FULL));
        assertTrue(STAFF.exportQuery(TenantTable.Scope.OWNER).contains("'password_hash', 'redacted'"));
        assertFalse(STAFF.exportQuery(TenantTable.Scope.OWNER).contains("t.\"password_hash\""));
    }

    @Test
    void wideTablesAreBuiltFromObjectsOfAtMostFiftyColumns() {
        List<String> columns = new ArrayList<>(List.of("tenant_id"));
        for (int i = 0; i < 120; i++) {
            columns.add("c" + i);
        }
        String query = new TenantTable("wide", TenantTable.Role.DATA, columns, List.of("tenant_id", "c0"), List.of(), List.of())
                .exportQuery(TenantTable.Scope.FULL);
        assertEquals(3, query.split("jsonb_build_object\\(", -1).length - 1);
        assertTrue(query.contains(") || jsonb_build_object("));
    }

    @Test
    void anImportInsertsTheColumnsTheArchiveHasForTheBoundTenant() {
        assertEquals("insert into \"tenancy_staff\" (tenant_id, \"staff_id\", \"email\") select ?, r.\"staff_id\", r.\"email\""
                + " from jsonb_populate_recordset(null::\"tenancy_staff\", ?::jsonb) r", STAFF.importStatement(List.of("staff_id", "email")));
        assertThrows(IllegalArgumentException.class, () -> STAFF.importStatement(List.of("tenant_id")));
        assertThrows(IllegalArgumentException.class, () -> STAFF.importStatement(List.of("other")));
        TenantTable outbox = new TenantTable("platform_outbox", TenantTable.Role.TRANSIENT, List.of("tenant_id", "event_id", "seq"),
                List.of("tenant_id", "event_id"), List.of(), List.of("seq"));
        assertTrue(outbox.importStatement(List.of("event_id", "seq")).contains(" overriding system value select ?"));
    }

    @Test
    void aPurgeDeletesBoundedBatchesByPrimaryKey() {
        assertEquals("delete from \"tenancy_staff\" where tenant_id = ? and (\"staff_id\") in (select \"staff_id\" from \"tenancy_staff\""
                + " where tenant_id = ? limit 50)", STAFF.deleteBatch(50));
        TenantTable lines = new TenantTable("orders_order_line", TenantTable.Role.DATA, List.of("tenant_id", "order_id", "line_no"),
                List.of("tenant_id", "order_id", "line_no"), List.of(), List.of());
        assertTrue(lines.deleteBatch(10).contains("(\"order_id\", \"line_no\") in (select \"order_id\", \"line_no\" from"));
        TenantTable settings = new TenantTable("s", TenantTable.Role.DATA, List.of("tenant_id", "x"), List.of("tenant_id"), List.of(), List.of());
        assertEquals("delete from \"s\" where tenant_id = ? and tenant_id = ?", settings.deleteBatch(10));
        TenantTable keyless = new TenantTable("k", TenantTable.Role.DATA, List.of("tenant_id", "x"), List.of(), List.of(), List.of());
        assertTrue(keyless.deleteBatch(10).contains("(ctid) in (select ctid from \"k\""));
        assertThrows(IllegalArgumentException.class, () -> STAFF.deleteBatch(0));
    }

    @Test
    void rolesComeFromTheTablesCommentAndATableWithoutOneIsData() {
        assertEquals(TenantTable.Role.DATA, TenantTable.Role.ofComment(null));
        assertEquals(TenantTable.Role.DATA, TenantTable.Role.ofComment("the shop's products"));
        assertEquals(TenantTable.Role.TRANSIENT, TenantTable.Role.ofComment("lifecycle: transient"));
        assertEquals(TenantTable.Role.CREDENTIALS, TenantTable.Role.ofComment(" lifecycle:credentials "));
        assertThrows(IllegalArgumentException.class, () -> TenantTable.Role.ofComment("lifecycle: temporary"));
        assertTrue(TenantTable.Role.CREDENTIALS.exported(TenantTable.Scope.FULL));
        assertFalse(TenantTable.Role.CREDENTIALS.exported(TenantTable.Scope.OWNER));
        assertFalse(TenantTable.Role.TRANSIENT.exported(TenantTable.Scope.FULL));
        assertFalse(TenantTable.Role.DIRECTORY.exported(TenantTable.Scope.FULL));
    }

    @Test
    void namesThatAreNotPlainIdentifiersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TenantTable("x\"; drop table y", TenantTable.Role.DATA,
                List.of("tenant_id"), List.of("tenant_id"), List.of(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new TenantTable("t", TenantTable.Role.DATA,
                List.of("id"), List.of("id"), List.of(), List.of()));
    }
}
