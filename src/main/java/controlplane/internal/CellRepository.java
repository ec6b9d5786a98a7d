package controlplane.internal;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import platform.SealedBox;
import tenancy.CellHeartbeat;
import tenancy.CellSaturation;

@ApplicationScoped
public class CellRepository implements PanacheRepositoryBase<Cell, String> {

    /**
     * Records a heartbeat of a registered cell, with the load and saturation it reports; reports older than the last one (Kafka redelivery,
     * reordering, another control node's copy) change nothing.
     */
    public Recorded recordHeartbeat(CellHeartbeat heartbeat) {
        // the cell's command key rides along in the same statement (a malformed one is ignored, the known one kept)
        String commandKey = heartbeat.commandKey() != null && SealedBox.publicKey(heartbeat.commandKey()).isPresent()
                ? heartbeat.commandKey() : null;
        // so does its saturation (absent from reports of earlier versions: then unknown)
        CellSaturation saturation = heartbeat.saturation();
        int updated = update("lastHeartbeatAt = ?1, reportedTenants = ?2, reportedRequestRate = ?3, "
                        + "reportedDbUtilisation = ?4, commandKey = coalesce(?6, commandKey), "
                        + "reportedBusyWorkers = ?7, reportedMaxWorkers = ?8, reportedDbActive = ?9, "
                        + "reportedDbWaiting = ?10, reportedCpu = ?11 "
                        + "where id = ?5 and (lastHeartbeatAt is null or lastHeartbeatAt < ?1)",
                heartbeat.reportedAt(), heartbeat.tenants(), heartbeat.requestRate(), heartbeat.dbUtilisation(),
                heartbeat.cellId(), commandKey,
                saturation == null ? null : saturation.busyWorkers(), saturation == null ? null : saturation.maxWorkers(),
                saturation == null ? null : saturation.dbActive(), saturation == null ? null : saturation.dbWaiting(),
                saturation == null || saturation.cpu() < 0 ? null : saturation.cpu());
        if (updated > 0) {
            return Recorded.NEWEST;
        }
        return findByIdOptional(heartbeat.cellId()).isPresent() ? Recorded.OUTDATED : Recorded.UNKNOWN_CELL;
    }

    /** What became of a heartbeat. */
    public enum Recorded {
        /** The cell's newest report: recorded. */
        NEWEST,
        /** Not newer than the last one recorded: ignored. */
        OUTDATED,
        /** Of a cell that is not registered: ignored. */
        UNKNOWN_CELL
    }

    /** A cell is healthy while its reports keep coming. */
    public static boolean healthy(Cell cell, Instant now, java.time.Duration interval) {
        return cell.lastHeartbeatAt != null && cell.lastHeartbeatAt.isAfter(now.minus(interval.multipliedBy(3)));
    }
}
