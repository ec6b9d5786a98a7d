package controlplane.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A host name of a tenant: its platform host, or a custom domain (routed once verified). */
@Entity
@Table(name = "controlplane_domain")
public class Domain {

    @Id
    @Column(length = 253)
    public String host;

    @Column(name = "tenant_id", nullable = false)
    public UUID tenantId;

    /** platform or custom. */
    @Column(nullable = false, length = 16)
    public String kind;

    @Column(nullable = false)
    public boolean verified;

    @Column(name = "verification_token", nullable = false, length = 64)
    public String verificationToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
