package tenancy.internal;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;

/** The tenant bound to the current request context. */
@RequestScoped
public class TenantHolder {

    private UUID tenant;

    public UUID tenant() {
        return tenant;
    }

    public void bind(UUID tenantId) {
        if (tenant != null && !tenant.equals(tenantId)) {
            throw new IllegalStateException("a unit of work cannot switch tenants");
        }
        this.tenant = tenantId;
    }
}
