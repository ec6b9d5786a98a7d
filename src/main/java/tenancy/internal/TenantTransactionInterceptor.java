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

    @Inject TenantContext context;
    @Inject TenantBulkhead bulkhead;
    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @AroundInvoke
    Object inTenantTransaction(InvocationContext invocation) throws Exception {
        UUID tenantId = context.require();
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                // once per transaction and tenant: a nested call in the same transaction finds it bound
                if (!bulkhead.boundTo(tenantId)) {
                    // before the first statement, so that waiting for its turn holds no connection
                    TenantBulkhead.Admission limits = bulkhead.admitTransaction(Optional.of(tenantId));
                    entityManager().unwrap(Session.class).doWork(connection -> bulkhead.bindTenant(connection, tenantId, limits));
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
