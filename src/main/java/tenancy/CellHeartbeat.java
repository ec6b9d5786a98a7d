package tenancy;

import java.time.Instant;

/**
 * A cell's periodic report of liveness and load, consumed by the control plane for placement and
 * health, and by gateways for the saturation of the cell (their admission limits). Keyed by cell id on Kafka.
 *
 * @param cellId        the reporting cell
 * @param baseUrl       where the cell serves HTTP
 * @param tenants       tenants the cell serves now
 * @param requestRate   requests per second over the last interval
 * @param dbUtilisation share (0..1) of the cell's database connection pool in use
 * @param reportedAt    when the cell sent it
 * @param commandKey    the cell's public command key ({@link platform.SealedBox#publicKeyText}): credentials
 *                      in commands to this cell are sealed for it; absent while the cell cannot read it
 * @param saturation    how busy the node is ({@link CellSaturation}); absent in reports of cells of earlier versions
 * @param load          its shops' recent load and its heaviest shops ({@link CellLoad}); absent in reports of cells of
 *                      earlier versions
 */
public record CellHeartbeat(String cellId, String baseUrl, long tenants, double requestRate, double dbUtilisation,
                            Instant reportedAt, String commandKey, CellSaturation saturation, CellLoad load) {}
