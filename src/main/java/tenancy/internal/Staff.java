package tenancy.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/**
 * A staff account of one shop (tenant-owned). The table's key is (tenant_id, staff_id); ids are
 * random UUIDs, unique across cells, so the entity is identified by its id alone. The table's
 * {@code failed_sign_ins} and {@code locked_until} columns (the per-account lock-out before the
 * sign-in limits of ADR 0011) are no longer read or written.
 */
@Entity
@Table(name = "tenancy_staff")
public class Staff {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "staff_id")
    public UUID staffId;

    @Column(nullable = false, length = 254)
    public String email;

    @Column(nullable = false, length = 200)
    public String name;

    @Column(name = "password_hash", nullable = false, length = 200)
    public String passwordHash;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
