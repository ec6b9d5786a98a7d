package controlplane.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A cell of the fleet as registered by an operator, with the last load it reported. */
@Entity
@Table(name = "controlplane_cell")
public class Cell {

    @Id
    @Column(length = 32)
    public String id;

    @Column(name = "base_url", nullable = false, length = 2048)
    public String baseUrl;

    @Column(name = "capacity_tenants", nullable = false)
    public int capacityTenants;

    @Column(name = "capacity_load", nullable = false)
    public int capacityLoad;

    @Column(nullable = false)
    public boolean dedicated;

    /** active or draining. */
    @Column(nullable = false, length = 16)
    public String state;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    @Column(name = "reported_tenants", nullable = false)
    public long reportedTenants;

    @Column(name = "reported_request_rate", nullable = false)
    public double reportedRequestRate;

    @Column(name = "reported_db_utilisation", nullable = false)
    public double reportedDbUtilisation;

    /** Saturation from the cell's latest heartbeat ({@link tenancy.CellSaturation}); null until a report carries it. */
    @Column(name = "reported_busy_workers")
    public Integer reportedBusyWorkers;

    @Column(name = "reported_max_workers")
    public Integer reportedMaxWorkers;

    @Column(name = "reported_db_active")
    public Integer reportedDbActive;

    @Column(name = "reported_db_waiting")
    public Integer reportedDbWaiting;

    @Column(name = "reported_cpu")
    public Double reportedCpu;

    /** The cell's public command key from its latest heartbeat that had one ({@link platform.SealedBox}). */
    @Column(name = "command_key", length = 200)
    public String commandKey;
}
