package controlplane.internal.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import controlplane.internal.TenantRegistry;
import controlplane.internal.purge.Purges;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import platform.EventEnvelope;
import platform.RoleGate;
import tenancy.TenantProvisioned;
import tenancy.TenantPurged;
import tenancy.TenantRefused;

/**
 * Drives provisioning and purges from the control node: cells' acknowledgements make tenants active (a repeated
 * acknowledgement changes nothing), a cell's refusal makes a provisioning tenant failed with the cell's
 * reason, a cell's {@code TenantPurged} completes a purge, and tenants whose cell has not answered get their command
 * again, so a tenant placed on (or purged from) a cell that was down completes by itself when the cell returns.
 */
@ApplicationScoped
class ProvisioningConsumer {

    private static final Logger LOG = Logger.getLogger(ProvisioningConsumer.class);
    static final Duration RESEND_AFTER = Duration.ofSeconds(15);

    @Inject TenantRegistry tenants;
    @Inject Purges purges;
    @Inject ObjectMapper json;

    @Retry(maxRetries = 10, delay = 1, delayUnit = ChronoUnit.SECONDS)
    @Incoming("controlplane-tenancy-events")
    @Blocking
    void onTenancyEvent(EventEnvelope event) {
        if (event == null || event.data() == null) {
            return;
        }
        try {
            if ("TenantProvisioned".equals(event.type())) {
                tenants.acknowledged(json.treeToValue(event.data(), TenantProvisioned.class));
            } else if (TenantRefused.TYPE.equals(event.type())) {
                tenants.refused(json.treeToValue(event.data(), TenantRefused.class));
            } else if (TenantPurged.TYPE.equals(event.type())) {
                purges.purged(json.treeToValue(event.data(), TenantPurged.class));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            LOG.warnf("Ignored an unreadable acknowledgement %s: %s", event.eventId(), e.getMessage());
        }
    }

    @Scheduled(every = "5s", delayed = "5s", skipExecutionIf = RoleGate.NotControl.class,
               concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void resendStale() {
        int resent = tenants.resendStaleProvisioning(RESEND_AFTER);
        if (resent > 0) {
            LOG.infof("Sent the provisioning command again for %d tenant(s) still waiting on their cell", resent);
        }
        int purging = purges.resendStale();
        if (purging > 0) {
            LOG.infof("Sent the purge command again for %d tenant(s) whose cell has not answered", purging);
        }
    }
}
