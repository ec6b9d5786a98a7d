package controlplane.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** One step of a tenant's life (its audit trail); the sequence number is unique on its own. */
@Entity
@Table(name = "controlplane_tenant_history")
public class TenantHistory {

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long seq;

    @Column(nullable = false)
    public Instant at;

    @Column(name = "from_status", length = 16)
    public String fromStatus;

    @Column(name = "to_status", nullable = false, length = 16)
    public String toStatus;

    @Column(nullable = false, length = 500)
    public String detail;
}
