package catalog.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.annotations.TenantId;
import org.hibernate.type.SqlTypes;

/** A variant of a product: its SKU, price (minor units, ISO 4217 currency) and options (tenant-owned). */
@Entity
@Table(name = "catalog_variant")
public class Variant {

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Id
    @Column(name = "variant_id")
    public UUID variantId;

    @Column(name = "product_id", nullable = false)
    public UUID productId;

    @Column(nullable = false, length = 64)
    public String sku;

    @Column(nullable = false, length = 255)
    public String title;

    @Column(name = "price_minor", nullable = false)
    public long priceMinor;

    @Column(nullable = false, length = 3)
    public String currency;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public java.util.Map<String, String> options;

    @Column(nullable = false)
    public int position;
}
