package tenancy;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The tenant the current unit of work acts for. HTTP requests are bound by the cell's tenant
 * resolution; background work (Kafka consumers, relays, jobs) binds explicitly with {@link #callAs}.
 * Hibernate's discriminator multi-tenancy and PostgreSQL row-level security both read it.
 */
public interface TenantContext {

    /** The bound tenant, if any. */
    Optional<UUID> current();

    /** The bound tenant; fails if none is bound (a programming error, never a client error). */
    default UUID require() {
        return current().orElseThrow(() -> new IllegalStateException("no tenant is bound to this unit of work"));
    }

    /** Runs work for a tenant in a fresh request context (for background work). */
    <T> T callAs(UUID tenant, Callable<T> work);
}
