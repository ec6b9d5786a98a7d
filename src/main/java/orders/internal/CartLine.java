package orders.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A variant and quantity in a cart (tenant-owned). */
@Entity
@Table(name = "orders_cart_line")
@IdClass(CartLine.Key.class)
public class CartLine {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "cart_id")
    public UUID cartId;

    @Id
    @Column(name = "variant_id")
    public UUID variantId;

    @Column(nullable = false)
    public int quantity;

    /** Its key. */
    public static class Key implements Serializable {
        public UUID cartId;
        public UUID variantId;

        public Key() {}

        public Key(UUID cartId, UUID variantId) {
            this.cartId = cartId;
            this.variantId = variantId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(cartId, k.cartId) && Objects.equals(variantId, k.variantId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cartId, variantId);
        }
    }
}
