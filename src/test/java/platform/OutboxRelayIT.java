package platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import testsupport.Infra;
import testsupport.TopicRecords;

/**
 * The outbox relay never waits for Kafka inside a database transaction: while the broker is frozen, the
 * events it has taken hold no row lock and no connection of the cell, and once the broker is back every
 * event is published exactly once.
 */
@QuarkusIntegrationTest
@TestProfile(CellRoleProfile.class)
class OutboxRelayIT {

    /** The cell node's database connections (their application name, see application.properties). */
    static final String NODE_CONNECTIONS = "storefront-cell-%";

    enum Held { FREE, CLAIMED, LOCKED }

    @Test
    void aFrozenBrokerHoldsNoRowLockAndNoConnectionAndEveryEventIsPublishedOnce() throws Exception {
        String topic = "storefront.test.relay-" + UUID.randomUUID().toString().substring(0, 8);
        createTopic(topic);
        UUID tenant = UUID.randomUUID();
        List<UUID> events = new ArrayList<>();
        // the relay is working (its Kafka producer is ready) before the broker freezes
        events.add(insert(tenant, topic));
        await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(100)).until(() -> unpublished(tenant) == 0);

        long kafka = Infra.kafkaPid();
        Infra.freeze(kafka);
        try {
            for (int i = 0; i < 20; i++) {
                events.add(insert(tenant, topic));
            }
            // the relay takes the events and stalls on the frozen broker
            await().atMost(Infra.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> held(tenant) != Held.FREE);
            assertEquals(Held.CLAIMED, held(tenant), "the relay holds the outbox rows locked while it waits for Kafka");
            await().atMost(Duration.ofSeconds(20)).during(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(100))
                    .until(() -> nothingHeldByTheNode(tenant));
            assertEquals(20, unpublished(tenant), "nothing is marked published while the broker is frozen");
        } finally {
            Infra.thaw(kafka);
        }

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> unpublished(tenant) == 0);
        Map<String, Integer> published = committedEventIds(topic);
        for (UUID event : events) {
            assertEquals(1, published.getOrDefault(event.toString(), 0), "records of event " + event + " on " + topic);
        }
        assertEquals(events.size(), published.size(), "no other event on " + topic + ": " + published);
        try (Connection connection = relayConnection()) {
            try (PreparedStatement leases = connection.prepareStatement("select count(*) from platform_outbox"
                    + " where tenant_id = ? and (claimed_by is not null or claimed_until is not null)")) {
                leases.setObject(1, tenant);
                try (ResultSet rows = leases.executeQuery()) {
                    rows.next();
                    assertEquals(0, rows.getLong(1), "published events keep no lease");
                }
            }
            delete(connection, tenant);
        }
    }

    /**
     * Whether the tenant's unpublished rows are held by the relay: locked by a transaction (a
     * {@code FOR UPDATE NOWAIT} fails), claimed (a lease is set), or neither. The lease column is read
     * from the row as JSON, so that the question has an answer on any version of the table.
     */
    private static Held held(UUID tenant) throws SQLException {
        try (Connection connection = relayConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement lock = connection.prepareStatement(
                    "select count(*) filter (where to_jsonb(o) ->> 'claimed_by' is not null) from"
                            + " (select * from platform_outbox where tenant_id = ? and published_at is null for update nowait) o")) {
                lock.setObject(1, tenant);
                try (ResultSet rows = lock.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) > 0 ? Held.CLAIMED : Held.FREE;
                }
            } catch (SQLException e) {
                if ("55P03".equals(e.getSQLState())) { // lock_not_available
                    return Held.LOCKED;
                }
                throw e;
            } finally {
                connection.rollback();
            }
        }
    }

    /**
     * No row of the tenant is locked, no connection of the node has been idle in a transaction for a
     * second or more, and none holds a lock on the outbox in a transaction older than a second (the
     * node's short transactions, such as the outbox clean-up's, come and go within milliseconds).
     */
    private static boolean nothingHeldByTheNode(UUID tenant) throws SQLException {
        if (held(tenant) == Held.LOCKED) {
            return false;
        }
        try (Connection connection = Infra.owner(Infra.TEST_CELL_DB)) {
            try (PreparedStatement idle = connection.prepareStatement("select count(*) from pg_stat_activity"
                    + " where datname = current_database() and application_name like ? and state like 'idle in transaction%'"
                    + " and state_change < now() - interval '1 second'")) {
                idle.setString(1, NODE_CONNECTIONS);
                try (ResultSet rows = idle.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) > 0) {
                        return false;
                    }
                }
            }
            try (PreparedStatement locks = connection.prepareStatement("select count(*) from pg_locks l"
                    + " join pg_stat_activity a on a.pid = l.pid"
                    + " where l.database = (select oid from pg_database where datname = current_database())"
                    + " and l.relation::regclass::text like 'platform_outbox%' and a.application_name like ?"
                    + " and a.xact_start < now() - interval '1 second'")) {
                locks.setString(1, NODE_CONNECTIONS);
                try (ResultSet rows = locks.executeQuery()) {
                    rows.next();
                    return rows.getLong(1) == 0;
                }
            }
        }
    }

    private static long unpublished(UUID tenant) throws SQLException {
        try (Connection connection = relayConnection();
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from platform_outbox where tenant_id = ? and published_at is null")) {
            query.setObject(1, tenant);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static UUID insert(UUID tenant, String topic) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = relayConnection();
             PreparedStatement insert = connection.prepareStatement("insert into platform_outbox (tenant_id, event_id, topic,"
                     + " event_key, event_type, payload) values (?, ?, ?, ?, 'RelayProbe', ?::jsonb)")) {
            insert.setObject(1, tenant);
            insert.setObject(2, id);
            insert.setString(3, topic);
            insert.setString(4, tenant.toString());
            insert.setString(5, "{\"eventId\":\"" + id + "\"}");
            assertEquals(1, insert.executeUpdate());
        }
        return id;
    }

    private static void delete(Connection connection, UUID tenant) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("delete from platform_outbox where tenant_id = ?")) {
            delete.setObject(1, tenant);
            delete.executeUpdate();
        }
    }

    /** An owner connection to the cell database in the relay's mode (the outbox policy admits every tenant). */
    private static Connection relayConnection() throws SQLException {
        Connection connection = Infra.owner(Infra.TEST_CELL_DB);
        try (PreparedStatement relayMode = connection.prepareStatement("select set_config('app.outbox_relay', 'on', false)")) {
            relayMode.execute();
        }
        return connection;
    }

    private static void createTopic(String topic) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infra.KAFKA);
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
    }

    /** How many committed records of each event id the topic holds, read from its beginning to its end. */
    private static Map<String, Integer> committedEventIds(String topic) {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = TopicRecords.consumer("read_committed")) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            await().atMost(Infra.PATIENCE).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    Header id = record.headers().lastHeader("event-id");
                    assertTrue(id != null, "every record names its event");
                    counts.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
                }
                return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
        }
        return counts;
    }
}
