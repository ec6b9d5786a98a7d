package tenancy.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** An admin API token of a staff account; only its SHA-256 digest is stored (tenant-owned). */
@Entity
@Table(name = "tenancy_api_token")
public class ApiToken {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "token_digest", length = 64)
    public String tokenDigest;

    @Column(name = "staff_id", nullable = false)
    public UUID staffId;

    @Column(nullable = false, length = 100)
    public String name;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** {@code api} for bearer tokens of the admin API, {@code session} for browser sessions of the admin UI. */
    @Column(nullable = false, length = 16)
    public String kind = API;

    public static final String API = "api";
    public static final String SESSION = "session";
}
