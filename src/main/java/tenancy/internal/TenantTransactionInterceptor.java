package tenancy.internal;

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
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/** See {@link TenantTransactional}. */
@TenantTransactional
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
class TenantTransactionInterceptor {

    @Inject TenantContext context;
    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @AroundInvoke
    Object inTenantTransaction(InvocationContext invocation) throws Exception {
        String tenant = context.require().toString();
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                entityManager().createNativeQuery("select set_config('app.tenant_id', ?1, true)")
                        .setParameter(1, tenant).getSingleResult();
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
