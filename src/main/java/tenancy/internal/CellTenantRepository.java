package tenancy.internal;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class CellTenantRepository implements PanacheRepositoryBase<CellTenant, UUID> {

    /** Tenants this cell serves (not removed). */
    public long countServed() {
        return count("status <> 'removed'");
    }
}
