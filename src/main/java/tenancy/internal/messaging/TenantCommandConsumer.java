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
import platform.PasswordHashes;
import platform.StorefrontConfig;
import tenancy.ProvisionTenant;
import tenancy.TenantContext;
import tenancy.internal.TenantProvisioner;

/**
 * Takes the control plane's commands for this cell (cell role only). Commands for other cells are
 * skipped; malformed ones are logged and dropped (retrying cannot fix them); a transient failure is
 * retried by Kafka redelivery.
 */
@ApplicationScoped
class TenantCommandConsumer {

    private static final Logger LOG = Logger.getLogger(TenantCommandConsumer.class);

    @Inject StorefrontConfig config;
    @Inject TenantContext tenants;
    @Inject TenantProvisioner provisioner;

    @Inject ObjectMapper json;

    @Retry(maxRetries = 10, delay = 1, delayUnit = ChronoUnit.SECONDS)
    @Incoming("tenancy-commands")
    @Blocking
    void onCommand(EventEnvelope envelope) {
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
            return;
        }
        String problem = validate(command);
        if (problem != null) {
            LOG.errorf("Dropped tenancy command %s: %s", command.commandId(), problem);
            return;
        }
        try {
            tenants.callAs(command.tenantId(), () -> {
                provisioner.provision(command);
                return null;
            });
        } catch (TenantProvisioner.HostTaken e) {
            LOG.errorf("Dropped tenancy command %s: %s", command.commandId(), e.getMessage());
        }
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
        if (!PasswordHashes.isHash(command.ownerPasswordHash())) {
            return "ownerPasswordHash is not a password hash";
        }
        return null;
    }
}
