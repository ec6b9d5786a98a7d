package testsupport;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Rows written straight into a node's outbox (as the owner role, in the relay's mode so that a
 * cell's row-level security admits them), to watch what the node's outbox clean-up does with them.
 */
public final class OutboxRows {

    private OutboxRows() {}

    /**
     * A published row older than the retention (24 h by default) disappears; a published row of an
     * hour ago and an unpublished row created two days ago stay. The unpublished row is held locked
     * while the test watches, so that the relay (which skips locked rows) leaves it unpublished.
     */
    public static void assertOnlyOldPublishedRowsAreDeleted(String database) throws SQLException {
        UUID tenant = UUID.randomUUID();
        Instant now = Instant.now();
        UUID old = insert(database, tenant, now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(2)));
        UUID recent = insert(database, tenant, now.minus(Duration.ofDays(3)), now.minus(Duration.ofHours(1)));
        try (Connection watcher = relayConnection(database)) {
            watcher.setAutoCommit(false);
            UUID unpublished = lockedUnpublished(database, watcher, tenant, now.minus(Duration.ofDays(2)));
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(200)).until(() -> !exists(database, tenant, old));
            assertTrue(exists(database, tenant, recent), "a row published an hour ago stays");
            try (PreparedStatement check = watcher.prepareStatement(
                    "select published_at from platform_outbox where tenant_id = ? and event_id = ?")) {
                check.setObject(1, tenant);
                check.setObject(2, unpublished);
                try (ResultSet rows = check.executeQuery()) {
                    assertTrue(rows.next(), "an unpublished row stays, however old");
                    assertNull(rows.getTimestamp(1));
                }
            }
            // leave nothing behind for the relay
            delete(watcher, tenant);
            watcher.commit();
        }
        try (Connection connection = relayConnection(database)) {
            delete(connection, tenant);
        }
    }

    /** Inserts an unpublished row and locks it before the relay can take it (it retries if the relay was quicker). */
    private static UUID lockedUnpublished(String database, Connection watcher, UUID tenant, Instant created) throws SQLException {
        for (int attempt = 0; attempt < 20; attempt++) {
            UUID id = insert(database, tenant, created, null);
            try (PreparedStatement lock = watcher.prepareStatement(
                    "select published_at from platform_outbox where tenant_id = ? and event_id = ? for update")) {
                lock.setObject(1, tenant);
                lock.setObject(2, id);
                try (ResultSet rows = lock.executeQuery()) {
                    if (rows.next() && rows.getTimestamp(1) == null) {
                        return id;
                    }
                }
            }
        }
        throw new AssertionError("the relay published every row before the test could lock one");
    }

    private static UUID insert(String database, UUID tenant, Instant created, Instant published) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = relayConnection(database);
             PreparedStatement insert = connection.prepareStatement("insert into platform_outbox (tenant_id, event_id, topic,"
                     + " event_key, event_type, payload, created_at, published_at) values (?, ?, 'storefront.test.cleanup', ?,"
                     + " 'CleanupProbe', '{}'::jsonb, ?, ?)")) {
            insert.setObject(1, tenant);
            insert.setObject(2, id);
            insert.setString(3, id.toString());
            insert.setTimestamp(4, Timestamp.from(created));
            insert.setTimestamp(5, published == null ? null : Timestamp.from(published));
            assertEquals(1, insert.executeUpdate());
        }
        return id;
    }

    private static boolean exists(String database, UUID tenant, UUID id) throws SQLException {
        try (Connection connection = relayConnection(database);
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from platform_outbox where tenant_id = ? and event_id = ?")) {
            query.setObject(1, tenant);
            query.setObject(2, id);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) == 1;
            }
        }
    }

    private static void delete(Connection connection, UUID tenant) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from platform_outbox where tenant_id = ?")) {
            delete.setObject(1, tenant);
            delete.executeUpdate();
        }
    }

    /** An owner connection in the relay's mode for its whole session (a cell's outbox policy admits every tenant). */
    private static Connection relayConnection(String database) throws SQLException {
        Connection connection = Infra.owner(database);
        try (PreparedStatement relayMode = connection.prepareStatement("select set_config('app.outbox_relay', 'on', false)")) {
            relayMode.execute();
        }
        return connection;
    }
}
