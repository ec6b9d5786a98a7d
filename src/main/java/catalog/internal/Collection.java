package catalog.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A named group of products of a shop (tenant-owned). */
@Entity
@Table(name = "catalog_collection")
public class Collection {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "collection_id")
    public UUID collectionId;

    @Column(nullable = false, length = 100)
    public String handle;

    @Column(nullable = false, length = 255)
    public String title;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
