package platform;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * What every domain event on Kafka looks like: its id (consumers de-duplicate by it), type, the
 * tenant and cell it comes from, when it happened, and its data.
 */
public record EventEnvelope(UUID eventId, String type, UUID tenantId, String cellId, Instant occurredAt, JsonNode data) {}
