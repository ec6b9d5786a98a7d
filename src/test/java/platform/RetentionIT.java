package platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.Shops;
import testsupport.Shops.Shop;

/**
 * Records that serve only for a while are deleted by the cell's retention jobs, on every shop of the cell: idempotency
 * keys older than a day, API tokens and invitations expired more than a week ago; recent ones, and tokens without an
 * expiry, stay. Ages are set in the database.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class RetentionIT {

    @Test
    void oldIdempotencyKeysAndLongExpiredCredentialsGo() throws SQLException {
        Shop shop = Shops.create("cell1", "retention");
        Shop other = Shops.create("cell1", "retention-other");
        insertKey(shop, "old-key", Duration.ofHours(25));
        insertKey(other, "old-key", Duration.ofDays(3));
        insertKey(shop, "recent-key", Duration.ofHours(23));
        insertToken(shop, "old-token", Duration.ofDays(8));
        insertToken(other, "old-token", Duration.ofDays(30));
        insertToken(shop, "recent-token", Duration.ofDays(6));
        insertToken(shop, "no-expiry", null);
        insertInvitation(shop, "old-invitation", Duration.ofDays(9));
        insertInvitation(shop, "recent-invitation", Duration.ofDays(1));

        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() ->
                count(shop, "platform_idempotency", "idem_key", "old-key") == 0 && count(other, "platform_idempotency", "idem_key", "old-key") == 0
                        && count(shop, "tenancy_api_token", "token_digest", "old-token") == 0
                        && count(other, "tenancy_api_token", "token_digest", "old-token") == 0
                        && count(shop, "tenancy_staff_invitation", "token_digest", "old-invitation") == 0);
        assertEquals(1, count(shop, "platform_idempotency", "idem_key", "recent-key"));
        assertEquals(1, count(shop, "tenancy_api_token", "token_digest", "recent-token"));
        assertEquals(1, count(shop, "tenancy_api_token", "token_digest", "no-expiry"));
        assertEquals(1, count(shop, "tenancy_staff_invitation", "token_digest", "recent-invitation"));
    }

    static void insertKey(Shop shop, String key, Duration age) throws SQLException {
        write(shop, "insert into platform_idempotency (tenant_id, idem_key, request_digest, created_at) values (?, ?, 'digest',"
                + " now() - make_interval(secs => ?))", shop.tenantId(), key, (double) age.toSeconds());
    }

    static void insertToken(Shop shop, String digest, Duration expiredFor) throws SQLException {
        UUID staff = first(shop, "select staff_id from tenancy_staff where tenant_id = ? limit 1");
        if (expiredFor == null) {
            write(shop, "insert into tenancy_api_token (tenant_id, token_digest, staff_id, name, created_at, kind) values (?, ?, ?,"
                    + " 'test', now(), 'api')", shop.tenantId(), digest, staff);
        } else {
            write(shop, "insert into tenancy_api_token (tenant_id, token_digest, staff_id, name, created_at, expires_at, kind)"
                    + " values (?, ?, ?, 'test', now() - interval '60 days', now() - make_interval(secs => ?), 'api')",
                    shop.tenantId(), digest, staff, (double) expiredFor.toSeconds());
        }
    }

    static void insertInvitation(Shop shop, String digest, Duration expiredFor) throws SQLException {
        write(shop, "insert into tenancy_staff_invitation (tenant_id, invitation_id, token_digest, email, role, invited_by, created_at,"
                + " expires_at) values (?, ?, ?, ?, 'staff', 'owner', now() - interval '60 days', now() - make_interval(secs => ?))",
                shop.tenantId(), UUID.randomUUID(), digest, digest + "@example.com", (double) expiredFor.toSeconds());
    }

    static void write(Shop shop, String sql, Object... parameters) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                statement.executeUpdate();
            }
            db.commit();
        }
    }

    static UUID first(Shop shop, String sql) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement statement = db.prepareStatement(sql)) {
                statement.setObject(1, shop.tenantId());
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getObject(1, UUID.class);
                }
            } finally {
                db.rollback();
            }
        }
    }

    static long count(Shop shop, String table, String column, String value) throws SQLException {
        try (Connection db = Infra.owner(Infra.TEST_CELL_DB)) {
            db.setAutoCommit(false);
            Infra.bindTenant(db, shop.tenantId());
            try (PreparedStatement statement = db.prepareStatement("select count(*) from " + table + " where tenant_id = ? and "
                    + column + " = ?")) {
                statement.setObject(1, shop.tenantId());
                statement.setString(2, value);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } finally {
                db.rollback();
            }
        }
    }
}
