package tenancy;

import java.util.UUID;

/**
 * A cell's refusal of a provisioning command it can never carry out (a host name already belonging to
 * another tenant of the cell, a command that fails validation): data of a {@code TenantRefused} event on
 * {@code <platform>.tenancy.events}, next to {@link TenantProvisioned}. The control plane stops sending
 * the command and records the reason; sending it again could not change the answer.
 */
public record TenantRefused(UUID commandId, UUID tenantId, String cellId, String handle, String reason) {

    /** The event type on {@link TenantProvisioned#TOPIC}. */
    public static final String TYPE = "TenantRefused";
}
