package orders.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.annotations.TenantId;

/** An order of a shop (tenant-owned), with its status machine. */
@Entity(name = "ShopOrder")
@Table(name = "orders_order")
public class Order {

    /** Allowed status changes: placed -> paid -> fulfilled -> refunded; placed/paid -> cancelled. */
    static final Map<String, Set<String>> TRANSITIONS = Map.of(
            "placed", Set.of("paid", "fulfilled", "cancelled"),
            "paid", Set.of("fulfilled", "cancelled", "refunded"),
            "fulfilled", Set.of("refunded"),
            "cancelled", Set.of(),
            "refunded", Set.of());

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "order_id")
    public UUID orderId;

    @Column(nullable = false)
    public long number;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false, length = 3)
    public String currency;

    @Column(name = "total_minor", nullable = false)
    public long totalMinor;

    @Column(nullable = false, length = 254)
    public String email;

    @Column(name = "customer_id")
    public UUID customerId;

    @Column(name = "status_token", nullable = false, length = 64)
    public String statusToken;

    /** Set by checkouts before keys were bound in {@code platform_idempotency}; no longer written. */
    @Column(name = "idempotency_key", length = 100)
    public String idempotencyKey;

    @Column(name = "cart_id")
    public UUID cartId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    boolean canBecome(String next) {
        return TRANSITIONS.getOrDefault(status, Set.of()).contains(next);
    }
}
