package gateway.internal.edgecache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads the platform's catalogue events (gateway role only: channel {@code gateway-catalog-events},
 * a consumer group of its own per process, from the end) and purges the edge cache by them. The
 * envelope is read generically (its {@code type}, {@code tenantId}, {@code occurredAt} and
 * {@code data}), so the gateway needs no catalogue types; a malformed record is skipped.
 */
@ApplicationScoped
class EdgePurges {

    private static final Logger LOG = Logger.getLogger(EdgePurges.class);

    @Inject EdgeCache cache;
    @Inject ObjectMapper json;

    @Incoming("gateway-catalog-events")
    void onEvent(String record) {
        try {
            JsonNode envelope = json.readTree(record);
            UUID tenantId = UUID.fromString(envelope.path("tenantId").asText());
            String type = envelope.path("type").asText(null);
            JsonNode at = envelope.path("occurredAt");
            Instant occurredAt = at.isTextual() ? Instant.parse(at.asText())
                    : at.isNumber() ? Instant.ofEpochMilli(Math.round(at.asDouble() * 1_000)) : null;
            cache.purge(tenantId, type, envelope.path("data"), occurredAt);
        } catch (Exception malformed) {
            LOG.warnf("Ignoring a malformed catalogue event: %s", malformed.toString());
        }
    }
}
