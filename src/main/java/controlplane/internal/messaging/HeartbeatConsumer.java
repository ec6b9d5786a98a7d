package controlplane.internal.messaging;

import controlplane.internal.CellRepository;
import controlplane.internal.hot.HotTenants;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import tenancy.CellHeartbeat;

/**
 * Records cells' heartbeats (control role only), with the hot shops of each newest report; idempotent, so
 * redelivered reports are harmless.
 */
@ApplicationScoped
class HeartbeatConsumer {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class);

    @Inject CellRepository cells;
    @Inject HotTenants hotTenants;

    @Incoming("controlplane-heartbeats")
    @Blocking
    @Transactional
    void onHeartbeat(CellHeartbeat heartbeat) {
        if (heartbeat == null || heartbeat.cellId() == null || heartbeat.reportedAt() == null) {
            LOG.warn("Ignoring a malformed cell heartbeat");
            return;
        }
        CellRepository.Recorded recorded = cells.recordHeartbeat(heartbeat);
        if (recorded == CellRepository.Recorded.UNKNOWN_CELL) {
            LOG.debugf("Heartbeat from unregistered cell %s at %s", heartbeat.cellId(), heartbeat.baseUrl());
        } else if (recorded == CellRepository.Recorded.NEWEST && heartbeat.load() != null) {
            hotTenants.record(heartbeat.cellId(), heartbeat.reportedAt(), heartbeat.load());
        }
    }
}
