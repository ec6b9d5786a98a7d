package tenancy.internal;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.jboss.logging.MDC;
import tenancy.TenantContext;

@ApplicationScoped
class TenantContextImpl implements TenantContext {

    @Inject TenantHolder holder;

    @Override
    public Optional<UUID> current() {
        if (!Arc.container().requestContext().isActive()) {
            return Optional.empty();
        }
        return Optional.ofNullable(holder.tenant());
    }

    @Override
    public <T> T callAs(UUID tenant, Callable<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = !requestContext.isActive();
        if (activated) {
            requestContext.activate();
        }
        Object previousMdc = MDC.get("tenant");
        try {
            holder.bind(tenant);
            MDC.put("tenant", tenant.toString());
            return work.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (previousMdc == null) {
                MDC.remove("tenant");
            } else {
                MDC.put("tenant", previousMdc);
            }
            if (activated) {
                requestContext.terminate();
            }
        }
    }
}
