package tenancy;

import java.util.UUID;

/** A cell's acknowledgement that it serves a tenant (data of a {@code TenantProvisioned} event on {@code storefront.tenancy.events}). */
public record TenantProvisioned(UUID commandId, UUID tenantId, String cellId, String handle) {

    /** Topic of the cell's tenancy events. */
    public static final String TOPIC = "storefront.tenancy.events";
}
