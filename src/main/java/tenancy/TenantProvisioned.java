package tenancy;

import java.util.UUID;

/** A cell's acknowledgement that it serves a tenant (data of a {@code TenantProvisioned} event on {@code <platform>.tenancy.events}). */
public record TenantProvisioned(UUID commandId, UUID tenantId, String cellId, String handle) {

    /** Topic of the cell's tenancy events on the platform ({@code <platform>.tenancy.events}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC = "tenancy.events";
}
