package tenancy;

import java.util.Optional;
import java.util.UUID;

/** The tenants this cell serves, looked up by host name or id (cached briefly in memory). */
public interface TenantDirectory {

    /** The tenant served at a normalised host name. */
    Optional<TenantRef> byHost(String host);

    /** A tenant of this cell by id. */
    Optional<TenantRef> byId(UUID tenantId);

    /** The host names a tenant of this cell is served at (its platform host and its custom domains). */
    java.util.List<String> hosts(UUID tenantId);

    /** Drops cached lookups (after a provisioning or status change). */
    void invalidate();
}
