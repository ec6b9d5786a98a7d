package tenancy;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A cell's answer that it holds nothing of a tenant any more: data of a {@code TenantPurged} event on
 * {@link TenantProvisioned#TOPIC}. It names no person: the tenant id, the rows deleted per table, the Redis keys and
 * archives removed, and when the purge ran.
 *
 * @param commandId   the command answered (the first one the cell took, when it was sent more than once)
 * @param rows        rows deleted per table
 * @param redisKeys   keys of the tenant removed from the cell's Redis
 * @param archives    export archives of the tenant deleted
 */
public record TenantPurged(UUID commandId, UUID tenantId, String cellId, Map<String, Long> rows, long redisKeys, long archives,
                           Instant startedAt, Instant finishedAt) {

    /** The event type on {@link TenantProvisioned#TOPIC}. */
    public static final String TYPE = "TenantPurged";
}
