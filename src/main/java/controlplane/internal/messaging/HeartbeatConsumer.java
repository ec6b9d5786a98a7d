package controlplane.internal.messaging;

import controlplane.internal.CellRepository;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import tenancy.CellHeartbeat;

/** Records cells' heartbeats (control role only); idempotent, so redelivered reports are harmless. */
@ApplicationScoped
class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    @Inject CellRepository cells;

    @Incoming("controlplane-heartbeats")
    @Blocking
    @Transactional
    void onHeartbeat(CellHeartbeat heartbeat) {
        if (heartbeat == null || heartbeat.cellId() == null || heartbeat.reportedAt() == null) {
            LOG.warn("Ignoring a malformed cell heartbeat");
            return;
        }
        if (!cells.recordHeartbeat(heartbeat)) {
            LOG.debugf("Heartbeat from unregistered cell %s at %s", heartbeat.cellId(), heartbeat.baseUrl());
        }
    }
}
