package catalog.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** Membership of a product in a collection (tenant-owned). */
@Entity
@Table(name = "catalog_collection_product")
@IdClass(CollectionProduct.Key.class)
public class CollectionProduct {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "collection_id")
    public UUID collectionId;

    @Id
    @Column(name = "product_id")
    public UUID productId;

    /** Its key. */
    public static class Key implements Serializable {
        public UUID collectionId;
        public UUID productId;

        public Key() {}

        public Key(UUID collectionId, UUID productId) {
            this.collectionId = collectionId;
            this.productId = productId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(collectionId, k.collectionId) && Objects.equals(productId, k.productId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(collectionId, productId);
        }
    }
}
