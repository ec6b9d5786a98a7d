package catalog.internal;

import catalog.internal.readcache.StorefrontReadCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.UUID;
import platform.AfterCommit;
import tenancy.TenantContext;

/**
 * Tells the storefront cache that a tenant's catalogue changed, after the transaction commits (a
 * reader after the commit never sees the old version; a rolled-back change invalidates nothing).
 */
@ApplicationScoped
class CatalogChanges {

    @Inject TransactionSynchronizationRegistry transactions;
    @Inject TenantContext tenant;
    @Inject StorefrontReadCache cache;

    void changed() {
        UUID tenantId = tenant.require();
        Object key = "catalog-changed:" + tenantId;
        if (transactions.getResource(key) != null) {
            return; // already registered in this transaction
        }
        transactions.putResource(key, Boolean.TRUE);
        AfterCommit.run(transactions, () -> cache.invalidate(tenantId));
    }
}
