package catalog.internal;

import catalog.internal.readcache.StockInvalidations;
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
    @Inject StockInvalidations stock;

    void changed() {
        UUID tenantId = tenant.require();
        Object key = "catalog-changed:" + tenantId;
        if (transactions.getResource(key) != null) {
            return; // already registered in this transaction
        }
        transactions.putResource(key, Boolean.TRUE);
        AfterCommit.run(transactions, () -> cache.invalidate(tenantId));
    }

    /**
     * Stock levels changed by orders (checkouts, cancellations): the storefront's answers are invalidated at most once
     * per stock staleness period, or at once if a variant sold out ({@link StockInvalidations}).
     */
    void stockChanged(boolean soldOut) {
        UUID tenantId = tenant.require();
        Object key = "catalog-stock-changed:" + tenantId;
        if (transactions.getResource(key) instanceof boolean[] registered) {
            registered[0] |= soldOut; // already registered in this transaction
            return;
        }
        boolean[] anySoldOut = {soldOut};
        transactions.putResource(key, anySoldOut);
        AfterCommit.run(transactions, () -> stock.stockChanged(tenantId, anySoldOut[0]));
    }
}
