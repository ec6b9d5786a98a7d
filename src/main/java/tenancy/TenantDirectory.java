package tenancy;

import java.util.Optional;
import java.util.UUID;

/**
 * The tenants this cell serves, looked up by host name or id (cached in memory until a change of the
 * cell's directory is announced, see {@link #invalidate()}).
 */
public interface TenantDirectory {

    /** The tenant served at a normalised host name. */
    Optional<TenantRef> byHost(String host);

    /** A tenant of this cell by id. */
    Optional<TenantRef> byId(UUID tenantId);

    /** The host names a tenant of this cell is served at (its platform host and its custom domains). */
    java.util.List<String> hosts(UUID tenantId);

    /**
     * Drops cached lookups after a change of the directory (a provisioning, a status or domain change): on
     * this node at once, and on every node of the cell once the current transaction commits (at once
     * outside a transaction).
     */
    void invalidate();
}
