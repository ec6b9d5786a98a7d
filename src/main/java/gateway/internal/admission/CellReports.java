package gateway.internal.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import tenancy.CellHeartbeat;

/**
 * Reads the cells' heartbeats (gateway role only: channel {@code gateway-heartbeats}, a consumer group
 * of its own per process, from the end, nothing committed: a report is only worth its latest value)
 * and gives their saturation to {@link Admission}. Off the request path; a malformed report is skipped.
 */
@ApplicationScoped
class CellReports {

    private static final Logger LOG = Logger.getLogger(CellReports.class);

    @Inject Admission admission;
    @Inject ObjectMapper json;

    @Incoming("gateway-heartbeats")
    void onReport(String record) {
        try {
            admission.report(json.readValue(record, CellHeartbeat.class));
        } catch (Exception malformed) {
            LOG.debugf("Ignoring a malformed cell heartbeat: %s", malformed.toString());
        }
    }
}
