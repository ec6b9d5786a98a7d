package orders.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** A shopper's cart (tenant-owned); its random id is the shopper's handle on it. */
@Entity
@Table(name = "orders_cart")
public class Cart {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "cart_id")
    public UUID cartId;

    /** Set by the first line: every line of a cart has one currency. */
    @Column(length = 3)
    public String currency;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
