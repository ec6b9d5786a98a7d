package tenancy;

import java.util.List;
import java.util.UUID;

/**
 * The load of a cell node's shops over its recent period (the last full window of its counters and the
 * running one), carried in its {@link CellHeartbeat}: the node's totals and its heaviest shops with their
 * shares, from bounded heavy-hitters sketches (a few dozen counters however many shops the cell has). The
 * control plane's hot-tenant detection reads it (docs/adr/0018-hot-tenant-detection.md).
 *
 * @param periodMillis  the period counted
 * @param requestRate   shop requests per second the node served over the period (every shop together)
 * @param dbConnections database connections the shops' transactions held on average over the period
 * @param heaviest      the shops with the largest shares, largest first (at most a few)
 */
public record CellLoad(long periodMillis, double requestRate, double dbConnections, List<TenantShare> heaviest) {

    public CellLoad {
        heaviest = heaviest == null ? List.of() : List.copyOf(heaviest);
    }

    /**
     * One shop's part of the node's load over the period. Each figure is a lower bound (a sketch may have
     * counted the shop for part of the period only); a share is of the node's total, 0..1.
     *
     * @param tenantId      the shop
     * @param requestRate   its requests per second
     * @param requestShare  its part of the node's requests
     * @param dbConnections database connections its transactions held on average
     * @param dbShare       its part of the node's database time
     */
    public record TenantShare(UUID tenantId, double requestRate, double requestShare, double dbConnections, double dbShare) {

        /** The larger of its two shares: what it takes of the cell. */
        public double share() {
            return Math.max(requestShare, dbShare);
        }
    }
}
