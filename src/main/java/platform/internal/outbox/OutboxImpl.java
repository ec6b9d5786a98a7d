package platform.internal.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.UUID;
import platform.EventEnvelope;
import platform.NodeRole;
import platform.Outbox;
import platform.StorefrontConfig;
import platform.internal.db.TransactionTail;

@ApplicationScoped
class OutboxImpl implements Outbox {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject @WithCaching @PersistenceUnit("control") Instance<EntityManager> controlEntityManager;
    @Inject ObjectMapper json;
    @Inject StorefrontConfig config;
    @Inject Clock clock;
    @Inject OutboxRelay relay;
    @Inject TransactionTail tail;

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
        // written last, with the transaction's other closing writes in one round trip (TransactionTail)
        tail.add(config.role() == NodeRole.CONTROL ? "control" : "cell", entityManager(), "insert into platform_outbox"
                + " (tenant_id, event_id, topic, event_key, event_type, payload) values (?, ?, ?, ?, ?, cast(? as jsonb))",
                tenantId, eventId, topicName, key, type, payload);
        relay.wakeUpAfterCommit();
        return eventId;
    }

    /** The outbox lives in the role's own database: a cell's, or the control database. */
    private EntityManager entityManager() {
        return config.role() == NodeRole.CONTROL ? controlEntityManager.get() : cellEntityManager.get();
    }
}
