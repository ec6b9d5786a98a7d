package tenancy.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** An invitation to join a shop's staff; only the digest of its token is stored (tenant-owned). */
@Entity
@Table(name = "tenancy_staff_invitation")
public class StaffInvitation {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "invitation_id")
    public UUID invitationId;

    @Column(name = "token_digest", nullable = false, length = 64)
    public String tokenDigest;

    @Column(nullable = false, length = 254)
    public String email;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(name = "invited_by", nullable = false, length = 254)
    public String invitedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
}
