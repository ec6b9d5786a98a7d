package tenancy;

/**
 * How busy a cell node is when it reports, carried in its {@link CellHeartbeat}: gateways lower their
 * concurrency limit for a cell that reports saturation (ADR 0016), and the control plane keeps the
 * latest figures of each cell for operators.
 *
 * @param busyWorkers requests the node is serving now: each holds a worker of the pool while it runs, and
 *                    those beyond the pool's size wait for one
 * @param maxWorkers  the size of the node's worker pool; 0 when unknown
 * @param dbActive    database connections in use now
 * @param dbWaiting   threads waiting for a database connection now: for the pool (exhausted), or for their
 *                    turn in the node's bulkhead because it is full (ADR 0017), not those whose own shop
 *                    holds its share
 * @param cpu         recent CPU load of the node's own process, 0..1 of the processors it may use (not the
 *                    machine's: other processes on a shared machine do not make the cell saturated); negative when unknown
 */
public record CellSaturation(int busyWorkers, int maxWorkers, int dbActive, int dbWaiting, double cpu) {}
