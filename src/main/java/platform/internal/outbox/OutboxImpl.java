package platform.internal.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.UUID;
import org.hibernate.Session;
import platform.EventEnvelope;
import platform.NodeRole;
import platform.Outbox;
import platform.StorefrontConfig;

@ApplicationScoped
class OutboxImpl implements Outbox {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;
    @Inject ObjectMapper json;
    @Inject StorefrontConfig config;
    @Inject Clock clock;
    @Inject OutboxRelay relay;

    @Override
    public UUID record(UUID tenantId, String topic, String key, String type, Object data) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope envelope = new EventEnvelope(eventId, type, tenantId, config.cellId().orElse(config.role().value()), clock.instant(),
                json.valueToTree(data));
        String payload;
        try {
            payload = json.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + type + " cannot be serialised", e);
        }
        String topicName = config.topic(topic);
        // plain JDBC on the transaction's connection: one statement, nothing for Hibernate to parse or flush
        entityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("insert into platform_outbox"
                    + " (tenant_id, event_id, topic, event_key, event_type, payload) values (?, ?, ?, ?, ?, cast(? as jsonb))")) {
                insert.setObject(1, tenantId);
                insert.setObject(2, eventId);
                insert.setString(3, topicName);
                insert.setString(4, key);
                insert.setString(5, type);
                insert.setString(6, payload);
                insert.executeUpdate();
            }
        });
        relay.wakeUpAfterCommit();
        return eventId;
    }

    /** The outbox lives in the role's own database: a cell's, or the control database. */
    private EntityManager entityManager() {
        return config.role() == NodeRole.CONTROL ? controlEntityManager.get() : cellEntityManager.get();
    }
}
