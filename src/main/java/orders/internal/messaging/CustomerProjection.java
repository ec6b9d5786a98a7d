package orders.internal.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import orders.OrderPlaced;
import platform.EventEnvelope;
import platform.ProcessedEvents;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantTransactional;

/**
 * Keeps each shop's customer records (orders placed, amount spent) from its {@code OrderPlaced}
 * events. Kafka delivers at least once, so every event is applied once per tenant by its event id;
 * events of tenants this cell does not serve are skipped.
 */
@ApplicationScoped
class CustomerProjection {

    private static final Logger LOG = Logger.getLogger(CustomerProjection.class);
    static final String CONSUMER = "orders.customer-projection";

    @Inject TenantDirectory directory;
    @Inject TenantContext tenants;
    @Inject Applier applier;

    @Retry(maxRetries = 60, delay = 1, delayUnit = ChronoUnit.SECONDS)
    @Incoming("orders-events-in")
    @Blocking
    void onEvent(EventEnvelope event) {
        if (event == null || event.tenantId() == null || event.eventId() == null || !"OrderPlaced".equals(event.type())) {
            return;
        }
        if (directory.byId(event.tenantId()).isEmpty()) {
            return;
        }
        tenants.callAs(event.tenantId(), () -> {
            applier.apply(event);
            return null;
        });
    }

    /** The transactional part: de-duplicate, then upsert the customer. */
    @ApplicationScoped
    static class Applier {

        /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
        @Inject ProcessedEvents processed;
        @Inject ObjectMapper json;

        private EntityManager entityManager() {
            return cellEntityManager.get();
        }

        @TenantTransactional
        void apply(EventEnvelope event) {
            if (!processed.firstTime(event.tenantId(), CONSUMER, event.eventId())) {
                LOG.debugf("Event %s already applied", event.eventId());
                return;
            }
            OrderPlaced order = json.convertValue(event.data(), OrderPlaced.class);
            entityManager().createNativeQuery("insert into orders_customer (tenant_id, customer_id, email, orders, spent_minor, currency)"
                            + " values (platform_current_tenant(), gen_random_uuid(), ?1, 1, ?2, ?3)"
                            + " on conflict (tenant_id, email) do update set orders = orders_customer.orders + 1,"
                            + " spent_minor = orders_customer.spent_minor + excluded.spent_minor")
                    .setParameter(1, order.email()).setParameter(2, order.totalMinor()).setParameter(3, order.currency())
                    .executeUpdate();
        }
    }

}
