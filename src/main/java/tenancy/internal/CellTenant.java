package tenancy.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** The cell's record of one tenant it serves. */
@Entity
@Table(name = "tenancy_tenant")
public class CellTenant {

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(nullable = false, length = 63)
    public String handle;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false, length = 32)
    public String plan;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
