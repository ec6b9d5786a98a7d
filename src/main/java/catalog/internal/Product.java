package catalog.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A product of a shop (tenant-owned). */
@Entity
@Table(name = "catalog_product")
public class Product {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "product_id")
    public UUID productId;

    @Column(nullable = false, length = 100)
    public String handle;

    @Column(nullable = false, length = 255)
    public String title;

    @Column(nullable = false)
    public String description;

    /** draft, active or archived: only active products are on the storefront. */
    @Column(nullable = false, length = 16)
    public String status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;
}
