package tenancy;

import java.time.Instant;
import java.util.UUID;

/**
 * Command from the control plane to one cell: delete every row, cached answer and archive of a tenant, then answer
 * {@link TenantPurged}. Sent in an {@link platform.EventEnvelope} of type {@link #TYPE} on the cell's command topic
 * ({@link ProvisionTenant#topicFor}), keyed by tenant id, and sent again until the cell has answered; a cell that has
 * purged the tenant answers again with what it did, and one that is purging it carries on (a purge resumes after a
 * crash where it stopped).
 *
 * @param commandId   id of this command (echoed in the answer)
 * @param cellId      the cell that must act
 * @param tenantId    the tenant to purge
 * @param requestedAt when the purge was asked for (its deadline runs from then)
 */
public record PurgeTenant(UUID commandId, String cellId, UUID tenantId, Instant requestedAt) {

    /** Event type of this command in its envelope. */
    public static final String TYPE = "PurgeTenant";
}
