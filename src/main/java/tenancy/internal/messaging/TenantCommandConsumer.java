package tenancy.internal.messaging;

import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.temporal.ChronoUnit;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import platform.EventEnvelope;
import org.jboss.logging.Logger;
import platform.HostNames;
import platform.SealedBox;
import platform.StorefrontConfig;
import tenancy.ProvisionTenant;
import tenancy.PurgeTenant;
import tenancy.TenantPurges;
import tenancy.TenantContext;
import tenancy.internal.TenantProvisioner;

/**
 * Takes the control plane's commands for this cell (cell role only): provisioning, and purges (handed to
 * {@link TenantPurges}). Commands for other cells are
 * skipped; unreadable ones (no command or tenant id to answer to) are logged and dropped; a command
 * this cell can never carry out (invalid, or naming a host another tenant of the cell holds) is
 * answered with a {@code TenantRefused} event carrying the reason, so the control plane marks the
 * tenant failed instead of sending it again; a transient failure is retried by Kafka redelivery.
 */
@ApplicationScoped
class TenantCommandConsumer {

    private static final Logger LOG = Logger.getLogger(TenantCommandConsumer.class);

    @Inject StorefrontConfig config;
    @Inject TenantContext tenants;
    @Inject TenantProvisioner provisioner;
    @Inject TenantPurges purges;

    @Inject ObjectMapper json;

    @Retry(maxRetries = 10, delay = 1, delayUnit = ChronoUnit.SECONDS)
    @Incoming("tenancy-commands")
    @Blocking
    void onCommand(EventEnvelope envelope) {
        if (envelope != null && PurgeTenant.TYPE.equals(envelope.type()) && envelope.data() != null) {
            onPurge(envelope);
            return;
        }
        if (envelope == null || !ProvisionTenant.TYPE.equals(envelope.type()) || envelope.data() == null) {
            LOG.warn("Dropped an unreadable tenancy command");
            return;
        }
        ProvisionTenant command;
        try {
            command = json.treeToValue(envelope.data(), ProvisionTenant.class);
        } catch (Exception e) {
            LOG.warnf("Dropped an unreadable tenancy command %s: %s", envelope.eventId(), e.getMessage());
            return;
        }
        if (!config.cell().value().equals(command.cellId())) {
            return; // on this cell's topic only by mistake: another cell's command is not this cell's to answer
        }
        if (command.commandId() == null || command.tenantId() == null) {
            LOG.errorf("Dropped tenancy command %s: commandId and tenantId are required", envelope.eventId());
            return;
        }
        String problem = validate(command);
        if (problem != null) {
            refuse(command, problem);
            return;
        }
        try {
            tenants.callAs(command.tenantId(), () -> {
                provisioner.provision(command);
                return null;
            });
        } catch (TenantProvisioner.Refused e) {
            refuse(command, e.getMessage());
        } catch (TenantProvisioner.SealedForAnotherKey e) {
            LOG.warnf("Set aside tenancy command %s until it is sent again: %s", command.commandId(), e.getMessage());
        }
    }

    private void onPurge(EventEnvelope envelope) {
        PurgeTenant command;
        try {
            command = json.treeToValue(envelope.data(), PurgeTenant.class);
        } catch (Exception e) {
            LOG.warnf("Dropped an unreadable purge command %s: %s", envelope.eventId(), e.getMessage());
            return;
        }
        if (!config.cell().value().equals(command.cellId())) {
            return;
        }
        if (command.commandId() == null || command.tenantId() == null) {
            LOG.errorf("Dropped purge command %s: commandId and tenantId are required", envelope.eventId());
            return;
        }
        purges.requested(command);
    }

    private void refuse(ProvisionTenant command, String reason) {
        tenants.callAs(command.tenantId(), () -> {
            provisioner.refuse(command, reason);
            return null;
        });
    }

    static String validate(ProvisionTenant command) {
        if (command.commandId() == null || command.tenantId() == null) {
            return "commandId and tenantId are required";
        }
        if (command.handle() == null || !command.handle().matches("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")) {
            return "invalid handle";
        }
        if (command.plan() == null || command.plan().isBlank() || command.plan().length() > 32) {
            return "invalid plan";
        }
        List<String> hosts = command.hosts();
        if (hosts == null || hosts.isEmpty()
                || hosts.stream().anyMatch(h -> h == null || !HostNames.normalise(h).map(h::equals).orElse(false))) {
            return "hosts must be normalised host names";
        }
        if (command.ownerEmail() == null || !command.ownerEmail().matches("[^@\\s]{1,64}@[^@\\s]{1,189}")) {
            return "invalid owner email";
        }
        if (command.ownerCredential() != null && SealedBox.recipientKeyId(command.ownerCredential()).isEmpty()) {
            return "ownerCredential is not a sealed credential";
        }
        return null;
    }
}
