package tenancy;

import java.util.List;
import java.util.UUID;

/**
 * Command from the control plane to one cell: serve a tenant at exactly these host names. Idempotent:
 * a repeated command changes nothing and is acknowledged again; a later one with other hosts replaces
 * them. Sent in an {@link platform.EventEnvelope} of type {@link #TYPE} on {@link #TOPIC}, keyed by
 * tenant id.
 *
 * @param commandId         id of this command (echoed in the acknowledgement)
 * @param cellId            the cell that must act; other cells ignore the command
 * @param tenantId          the tenant's platform-wide id
 * @param handle            the shop's handle
 * @param plan              the tenant's plan
 * @param hosts             normalised host names of the shop
 * @param ownerEmail        the first staff account (the merchant)
 * @param ownerName         its display name
 * @param ownerPasswordHash its password hash ({@link platform.Passwords#hash}: Argon2id, or the earlier PBKDF2 format); never a password
 * @param status            {@code active} (or absent) to serve the shop, {@code suspended} to refuse its
 *                          requests; the control plane sends the command again when this changes
 */
public record ProvisionTenant(UUID commandId, String cellId, UUID tenantId, String handle, String plan,
                              List<String> hosts, String ownerEmail, String ownerName, String ownerPasswordHash,
                              String status) {

    /** Whether the shop's requests are to be refused. */
    public boolean suspended() {
        return "suspended".equals(status);
    }

    /** Topic of commands to cells on the platform ({@code <platform>.tenancy.commands}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC = "tenancy.commands";

    /** Event type of this command in its envelope. */
    public static final String TYPE = "ProvisionTenant";
}
