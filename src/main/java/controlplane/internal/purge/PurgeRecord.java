package controlplane.internal.purge;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** The audit record of a tenant's purge: who asked, when, the deadline, and what the cell deleted. No personal data. */
@Entity
@Table(name = "controlplane_purge")
public class PurgeRecord {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(name = "cell_id", length = 32)
    public String cellId;

    @Column(name = "command_id", nullable = false)
    public UUID commandId;

    @Column(name = "requested_by", nullable = false, length = 100)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "deadline_at", nullable = false)
    public Instant deadlineAt;

    /** {@code purging} until the cell has answered, then {@code done}. */
    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "last_sent_at")
    public Instant lastSentAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "duration_ms")
    public Long durationMs;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "deleted_rows", columnDefinition = "jsonb")
    public Map<String, Long> deletedRows;

    @Column(name = "redis_keys")
    public Long redisKeys;

    @Column(name = "archives")
    public Long archives;
}
