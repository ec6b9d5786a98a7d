package tenancy;

import java.util.List;
import java.util.UUID;

/**
 * Command from the control plane to one cell: serve a tenant at exactly these host names. Idempotent:
 * a repeated command changes nothing and is acknowledged again; a later one with other hosts replaces
 * them. Sent in an {@link platform.EventEnvelope} of type {@link #TYPE} on the topic of its cell
 * ({@link #topicFor}), keyed by tenant id: a cell reads only its own commands, and carries no credential
 * it could read for another cell's shops.
 *
 * @param commandId         id of this command (echoed in the acknowledgement)
 * @param cellId            the cell that must act (the command is on its topic; any other cell would ignore it)
 * @param tenantId          the tenant's platform-wide id
 * @param handle            the shop's handle
 * @param plan              the tenant's plan
 * @param hosts             normalised host names of the shop
 * @param ownerEmail        the first staff account (the merchant)
 * @param ownerName         its display name
 * @param ownerCredential   its password hash ({@link platform.Passwords#hash}) sealed for the cell's command key with the tenant id as context
 *                          ({@link platform.SealedBox}); never a password, never a readable hash; absent once
 *                          the cell has acknowledged the shop (the control plane no longer keeps it)
 * @param status            {@code active} (or absent) to serve the shop, {@code suspended} to refuse its
 *                          requests; the control plane sends the command again when this changes
 */
public record ProvisionTenant(UUID commandId, String cellId, UUID tenantId, String handle, String plan,
                              List<String> hosts, String ownerEmail, String ownerName, String ownerCredential,
                              String status) {

    /** Whether the shop's requests are to be refused. */
    public boolean suspended() {
        return "suspended".equals(status);
    }

    /** Prefix of the topics of commands to cells ({@code <platform>.tenancy.commands-<cell>}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC_PREFIX = "tenancy.commands-";

    /** The topic (without the platform prefix) of the commands to one cell. */
    public static String topicFor(String cellId) {
        return TOPIC_PREFIX + cellId;
    }

    /** Event type of this command in its envelope. */
    public static final String TYPE = "ProvisionTenant";
}
