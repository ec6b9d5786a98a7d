package controlplane.internal;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import platform.SealedBox;
import tenancy.CellHeartbeat;

@ApplicationScoped
public class CellRepository implements PanacheRepositoryBase<Cell, String> {

    /**
     * Records a heartbeat of a registered cell; reports older than the last one (Kafka redelivery,
     * reordering) change nothing. Returns false for a cell that is not registered.
     */
    public boolean recordHeartbeat(CellHeartbeat heartbeat) {
        // the cell's command key rides along in the same statement (a malformed one is ignored, the known one kept)
        String commandKey = heartbeat.commandKey() != null && SealedBox.publicKey(heartbeat.commandKey()).isPresent()
                ? heartbeat.commandKey() : null;
        int updated = update("lastHeartbeatAt = ?1, reportedTenants = ?2, reportedRequestRate = ?3, "
                        + "reportedDbUtilisation = ?4, commandKey = coalesce(?6, commandKey) "
                        + "where id = ?5 and (lastHeartbeatAt is null or lastHeartbeatAt < ?1)",
                heartbeat.reportedAt(), heartbeat.tenants(), heartbeat.requestRate(), heartbeat.dbUtilisation(),
                heartbeat.cellId(), commandKey);
        return updated > 0 || findByIdOptional(heartbeat.cellId()).isPresent();
    }

    /** A cell is healthy while its reports keep coming. */
    public static boolean healthy(Cell cell, Instant now, java.time.Duration interval) {
        return cell.lastHeartbeatAt != null && cell.lastHeartbeatAt.isAfter(now.minus(interval.multipliedBy(3)));
    }
}
