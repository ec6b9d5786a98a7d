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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;
import platform.Outbox;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * The catalogue as carts and checkout use it, in plain SQL on the tenant transaction's connection (one statement per
 * read, one conditional statement per stock change; nothing is a managed entity): these run on every cart change and
 * every order, and Hibernate would translate each query again (ADR 0015, ADR 0026).
 */
@ApplicationScoped
class CatalogServiceImpl implements CatalogService {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject CatalogChanges changes;

    @Override
    @TenantTransactional
    public Map<UUID, VariantView> variants(Collection<UUID> variantIds) {
        Map<UUID, VariantView> result = new HashMap<>();
        if (variantIds.isEmpty()) {
            return result;
        }
        UUID tenantId = tenant.require();
        return session().doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select v.variant_id, p.product_id, p.handle, p.title, v.sku, v.title, v.price_minor, v.currency,"
                            + " coalesce(i.available, 0), p.status"
                            + " from catalog_variant v join catalog_product p on p.tenant_id = v.tenant_id and p.product_id = v.product_id"
                            + " left join catalog_inventory i on i.tenant_id = v.tenant_id and i.variant_id = v.variant_id"
                            + " where v.tenant_id = ? and v.variant_id = any (?)")) {
                statement.setObject(1, tenantId);
                statement.setArray(2, connection.createArrayOf("uuid", variantIds.toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        result.put(id, new VariantView(id, rows.getObject(2, UUID.class), rows.getString(3), rows.getString(4),
                                rows.getString(5), rows.getString(6), rows.getLong(7), rows.getString(8).trim(), rows.getInt(9),
                                "active".equals(rows.getString(10))));
                    }
                }
            }
            return result;
        });
    }

    @Override
    @TenantTransactional
    public void reserve(Map<UUID, Integer> quantities, String reason) {
        List<UUID> short_ = new ArrayList<>();
        // a fixed lock order (by variant id) so that concurrent checkouts cannot deadlock
        for (Map.Entry<UUID, Integer> line : new TreeMap<>(quantities).entrySet()) {
            Adjusted adjusted = adjust(line.getKey(), -line.getValue(), true);
            if (adjusted == null) {
                short_.add(line.getKey());
            } else if (short_.isEmpty()) {
                inventoryChanged(line.getKey(), -line.getValue(), adjusted, reason, true);
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
            Adjusted adjusted = adjust(line.getKey(), line.getValue(), false);
            if (adjusted != null) {
                inventoryChanged(line.getKey(), line.getValue(), adjusted, reason, true);
            }
        }
    }

    /** A variant's stock level after a change, and its SKU (null if the variant itself is gone). */
    record Adjusted(int available, String sku) {}

    /**
     * Changes a variant's stock by delta in one conditional statement (row lock, re-checked after a
     * wait), returning the new level, or null if it would go below zero (or the variant has no stock row).
     */
    Adjusted adjust(UUID variantId, int delta, boolean refuseBelowZero) {
        UUID tenantId = tenant.require();
        return session().doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("update catalog_inventory i set available = i.available + ?,"
                    + " updated_at = now() where i.tenant_id = ? and i.variant_id = ?"
                    + (refuseBelowZero ? " and i.available + ? >= 0" : "")
                    + " returning i.available, (select v.sku from catalog_variant v where v.tenant_id = i.tenant_id"
                    + " and v.variant_id = i.variant_id)")) {
                statement.setInt(1, delta);
                statement.setObject(2, tenantId);
                statement.setObject(3, variantId);
                if (refuseBelowZero) {
                    statement.setInt(4, delta);
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? new Adjusted(rows.getInt(1), rows.getString(2)) : null;
                }
            }
        });
    }

    /**
     * Records the change's event and tells the storefront cache: at once for a merchant's adjustment, coalesced for the
     * stock that orders take and give back ({@code byOrders}), unless a variant sold out.
     */
    void inventoryChanged(UUID variantId, int delta, Adjusted adjusted, String reason, boolean byOrders) {
        outbox.record(tenant.require(), ProductChanged.TOPIC, variantId.toString(), "InventoryChanged",
                new InventoryChanged(variantId, adjusted.sku(), delta, adjusted.available(), reason));
        if (adjusted.sku() == null) {
            return;
        }
        if (byOrders) {
            changes.stockChanged(adjusted.available() == 0);
        } else {
            changes.changed();
        }
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
