package controlplane.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** A tenant (shop) of the platform and where it is in its life. */
@Entity
@Table(name = "controlplane_tenant")
public class Tenant {

    /**
     * The state machine: requested -> placing -> provisioning -> active; placing -> failed (no
     * capacity); active <-> suspended; active/suspended/failed -> deleting (its purge runs) -> deleted (purged: the
     * record stays, without the owner's name and email).
     */
    static final Map<String, Set<String>> TRANSITIONS = Map.of(
            "requested", Set.of("placing"),
            "placing", Set.of("provisioning", "failed"),
            "provisioning", Set.of("active", "failed"),
            "active", Set.of("suspended", "deleting"),
            "suspended", Set.of("active", "deleting"),
            "failed", Set.of("deleting"),
            "deleting", Set.of("deleted"),
            "deleted", Set.of());

    @Id
    @Column(name = "tenant_id")
    public UUID tenantId;

    @Column(nullable = false, length = 63)
    public String handle;

    @Column(nullable = false, length = 32)
    public String plan;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "status_reason", length = 500)
    public String statusReason;

    @Column(name = "cell_id", length = 32)
    public String cellId;

    /** Set by creates before keys were bound in {@code platform_idempotency}; no longer written. */
    @Column(name = "request_id", length = 100)
    public String requestId;

    /** Null once the tenant is deleted (no personal data is kept of a purged shop). */
    @Column(name = "owner_email", length = 254)
    public String ownerEmail;

    @Column(name = "owner_name", length = 200)
    public String ownerName;

    /** The owner's password hash until the cell has acknowledged the shop (then null: the cell keeps it alone). */
    @Column(name = "owner_password_hash", length = 200)
    public String ownerPasswordHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    /** Operator override of the plan's sustained request rate (null: the plan's). */
    @Column(name = "rate_limit_rps")
    public Integer rateLimitRps;

    /** Operator override of the plan's burst (null: the plan's). */
    @Column(name = "rate_limit_burst")
    public Integer rateLimitBurst;

    @Version
    public long version;

    /** The sustained request rate gateways allow this tenant. */
    public int requestsPerSecond() {
        return rateLimitRps != null ? rateLimitRps : Plans.byName(plan).map(Plans.Plan::requestsPerSecond).orElse(50);
    }

    /** The burst gateways allow this tenant. */
    public int burst() {
        return rateLimitBurst != null ? rateLimitBurst : Plans.byName(plan).map(Plans.Plan::burst).orElse(100);
    }

    public boolean canBecome(String next) {
        return TRANSITIONS.getOrDefault(status, Set.of()).contains(next);
    }
}
