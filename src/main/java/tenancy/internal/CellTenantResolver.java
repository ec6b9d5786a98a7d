package tenancy.internal;

import io.quarkus.hibernate.orm.PersistenceUnitExtension;
import io.quarkus.hibernate.orm.runtime.tenant.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import tenancy.TenantContext;

/**
 * Hibernate's discriminator multi-tenancy of the cell persistence unit: every session is bound to
 * the tenant of the unit of work. Without a tenant a session gets an id no tenant has, so tenant
 * entities read nothing.
 */
@PersistenceUnitExtension("cell")
@ApplicationScoped
class CellTenantResolver implements TenantResolver {

    static final String NO_TENANT = "00000000-0000-0000-0000-000000000000";

    @Inject TenantContext context;

    @Override
    public String getDefaultTenantId() {
        return NO_TENANT;
    }

    @Override
    public String resolveTenantId() {
        return context.current().map(Object::toString).orElse(NO_TENANT);
    }
}
