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

/** A line of an order: what was bought, at which price (a snapshot, unaffected by later catalogue changes). */
@Entity
@Table(name = "orders_order_line")
@IdClass(OrderLine.Key.class)
public class OrderLine {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "order_id")
    public UUID orderId;

    @Id
    @Column(name = "line_no")
    public int lineNo;

    @Column(name = "variant_id", nullable = false)
    public UUID variantId;

    @Column(nullable = false, length = 64)
    public String sku;

    @Column(nullable = false, length = 255)
    public String title;

    @Column(name = "unit_price_minor", nullable = false)
    public long unitPriceMinor;

    @Column(nullable = false)
    public int quantity;

    /** Its key. */
    public static class Key implements Serializable {
        public UUID orderId;
        public int lineNo;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(orderId, k.orderId) && lineNo == k.lineNo;
        }

        @Override
        public int hashCode() {
            return Objects.hash(orderId, lineNo);
        }
    }
}
