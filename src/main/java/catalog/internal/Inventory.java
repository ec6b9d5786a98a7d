package catalog.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** Available stock of a variant (tenant-owned); never below zero (a database constraint). */
@Entity
@Table(name = "catalog_inventory")
public class Inventory {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "variant_id")
    public UUID variantId;

    @Column(nullable = false)
    public int available;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
