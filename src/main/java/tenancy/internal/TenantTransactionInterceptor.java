package tenancy.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.narayana.jta.QuarkusTransactionException;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.PreparedStatement;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import platform.bulkhead.TenantBulkhead;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/** See {@link TenantTransactional}. */
@TenantTransactional
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
class TenantTransactionInterceptor {

    /**
     * One round trip binds the transaction to its tenant (row-level security) and sets the time limits of
     * its traffic class (timeouts, parallel query, plan caching), all transaction-local.
     */
    static final String BIND = "select set_config('app.tenant_id', ?, true), " + TenantBulkhead.Admission.SET_LIMITS;

    /** The transaction's resource naming the tenant its connection is bound to. */
    private static final Object BOUND = TenantTransactionInterceptor.class.getName() + ".tenant";

    @Inject TenantContext context;
    @Inject TransactionSynchronizationRegistry transactions;
    @Inject TenantBulkhead bulkhead;
    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @AroundInvoke
    Object inTenantTransaction(InvocationContext invocation) throws Exception {
        UUID tenantId = context.require();
        String tenant = tenantId.toString();
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                // once per transaction and tenant: a nested call in the same transaction finds it set
                if (!tenant.equals(transactions.getResource(BOUND))) {
                    // before the first statement, so that waiting for its turn holds no connection
                    TenantBulkhead.Admission limits = bulkhead.admitTransaction(Optional.of(tenantId));
                    entityManager().unwrap(Session.class).doWork(connection -> {
                        try (PreparedStatement bind = connection.prepareStatement(BIND)) {
                            bind.setString(1, tenant);
                            limits.bindLimits(bind, 2);
                            bind.execute();
                        }
                    });
                    transactions.putResource(BOUND, tenant);
                }
                return invocation.proceed();
            });
        } catch (QuarkusTransactionException wrapped) {
            // checked exceptions of the method come back wrapped; rethrow them as they were
            throw wrapped.getCause() instanceof Exception cause ? cause : wrapped;
        }
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
