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
import org.hibernate.Session;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/** See {@link TenantTransactional}. */
@TenantTransactional
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE + 300)
class TenantTransactionInterceptor {

    /** The transaction's resource naming the tenant its connection is bound to. */
    private static final Object BOUND = TenantTransactionInterceptor.class.getName() + ".tenant";

    @Inject TenantContext context;
    @Inject TransactionSynchronizationRegistry transactions;
    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @AroundInvoke
    Object inTenantTransaction(InvocationContext invocation) throws Exception {
        String tenant = context.require().toString();
        try {
            return QuarkusTransaction.joiningExisting().call(() -> {
                // once per transaction and tenant: a nested call in the same transaction finds it set
                if (!tenant.equals(transactions.getResource(BOUND))) {
                    entityManager().unwrap(Session.class).doWork(connection -> {
                        try (PreparedStatement bind = connection.prepareStatement("select set_config('app.tenant_id', ?, true)")) {
                            bind.setString(1, tenant);
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
