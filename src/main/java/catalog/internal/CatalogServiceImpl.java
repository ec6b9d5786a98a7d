package catalog.internal;

import catalog.CatalogService;
import catalog.InventoryChanged;
import catalog.OutOfStock;
import catalog.ProductChanged;
import catalog.VariantView;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import platform.Outbox;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

@ApplicationScoped
class CatalogServiceImpl implements CatalogService {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject CatalogChanges changes;

    @Override
    @TenantTransactional
    public Map<UUID, VariantView> variants(java.util.Collection<UUID> variantIds) {
        Map<UUID, VariantView> result = new HashMap<>();
        if (variantIds.isEmpty()) {
            return result;
        }
        List<Object[]> rows = entityManager().createQuery(
                        "select v, p, i.available from Variant v join Product p on p.productId = v.productId"
                                + " left join Inventory i on i.variantId = v.variantId where v.variantId in :ids", Object[].class)
                .setParameter("ids", variantIds).getResultList();
        for (Object[] row : rows) {
            Variant v = (Variant) row[0];
            Product p = (Product) row[1];
            int available = row[2] == null ? 0 : (Integer) row[2];
            result.put(v.variantId, new VariantView(v.variantId, p.productId, p.handle, p.title, v.sku, v.title,
                    v.priceMinor, v.currency, available, "active".equals(p.status)));
        }
        return result;
    }

    @Override
    @TenantTransactional
    public void reserve(Map<UUID, Integer> quantities, String reason) {
        List<UUID> short_ = new ArrayList<>();
        // a fixed lock order (by variant id) so that concurrent checkouts cannot deadlock
        for (Map.Entry<UUID, Integer> line : new TreeMap<>(quantities).entrySet()) {
            Integer available = adjust(line.getKey(), -line.getValue(), true);
            if (available == null) {
                short_.add(line.getKey());
            } else {
                inventoryChanged(line.getKey(), -line.getValue(), available, reason);
            }
        }
        if (!short_.isEmpty()) {
            throw new OutOfStock(short_);
        }
    }

    @Override
    @TenantTransactional
    public void restock(Map<UUID, Integer> quantities, String reason) {
        for (Map.Entry<UUID, Integer> line : new TreeMap<>(quantities).entrySet()) {
            Integer available = adjust(line.getKey(), line.getValue(), false);
            if (available != null) {
                inventoryChanged(line.getKey(), line.getValue(), available, reason);
            }
        }
    }

    /**
     * Changes a variant's stock by delta in one conditional statement (row lock, re-checked after a
     * wait), returning the new level, or null if it would go below zero (or the variant has no stock row).
     */
    Integer adjust(UUID variantId, int delta, boolean refuseBelowZero) {
        List<?> result = entityManager().createNativeQuery("update catalog_inventory set available = available + ?1,"
                        + " updated_at = now() where tenant_id = platform_current_tenant() and variant_id = ?2"
                        + (refuseBelowZero ? " and available + ?1 >= 0" : "") + " returning available")
                .setParameter(1, delta).setParameter(2, variantId).getResultList();
        return result.isEmpty() ? null : ((Number) result.get(0)).intValue();
    }

    void inventoryChanged(UUID variantId, int delta, int available, String reason) {
        Variant variant = entityManager().find(Variant.class, variantId);
        outbox.record(tenant.require(), ProductChanged.TOPIC, variantId.toString(), "InventoryChanged",
                new InventoryChanged(variantId, variant == null ? null : variant.sku, delta, available, reason));
        if (variant != null) {
            changes.changed();
        }
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
