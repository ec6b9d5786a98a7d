package platform;

import java.util.UUID;

/**
 * The transactional outbox of a cell: an event recorded here is written in the caller's transaction
 * (so it exists exactly when the business change commits) and relayed to Kafka afterwards, at least
 * once, in order per tenant. Call it inside a tenant transaction.
 */
public interface Outbox {

    /**
     * Records an event for the tenant of the current transaction.
     *
     * @param topic   Kafka topic of the module's events ({@code <module>.<events>}); the node's platform
     *                id is prefixed ({@code <platform>.<module>.<events>}, see {@link PlatformId#topic})
     * @param key     record key (e.g. the order or product id), so one entity's events stay ordered
     * @param type    event type, past tense ({@code OrderPlaced})
     * @param data    the event's data, serialised as JSON
     * @return the event id consumers de-duplicate by
     */
    UUID record(UUID tenantId, String topic, String key, String type, Object data);
}
