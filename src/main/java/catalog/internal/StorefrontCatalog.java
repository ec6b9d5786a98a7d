package catalog.internal;

import catalog.internal.StorefrontViews.CollectionView;
import catalog.internal.StorefrontViews.ProductPage;
import catalog.internal.StorefrontViews.StorefrontProduct;
import catalog.internal.StorefrontViews.StorefrontVariant;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * Storefront reads of the bound tenant's catalogue from PostgreSQL (active products only): the
 * cache-miss path of every storefront read. Plain SQL on the transaction's connection, one round
 * trip per read (a page and its variants in one statement), rows mapped straight to the views:
 * nothing is loaded as a managed entity, so there is no snapshot, no dirty check and no flush, and
 * no query is translated again per request (Hibernate re-translates every query of an entity with a
 * tenant id, because the tenant filter disables its interpretation cache). Each statement names the
 * tenant, and row-level security, set by {@link TenantTransactional}, admits only its rows anyway.
 * The plans of these statements are in ADR 0015.
 */
@ApplicationScoped
public class StorefrontCatalog {

    private static final TypeReference<Map<String, String>> OPTIONS = new TypeReference<>() {};

    /** The variant columns after the product's, in the order {@link #variant} reads them. */
    private static final String VARIANT_COLUMNS = "v.variant_id, v.sku, v.title as variant_title, v.price_minor, v.currency,"
            + " v.options::text as options, coalesce(i.available, 0) as available";
    private static final String VARIANT_JOINS = " left join catalog_variant v on v.tenant_id = p.tenant_id and v.product_id = p.product_id"
            + " left join catalog_inventory i on i.tenant_id = v.tenant_id and i.variant_id = v.variant_id";

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject ObjectMapper json;

    @TenantTransactional
    public ProductPage page(Optional<String> after, int limit, Optional<String> titleContains, Optional<UUID> collection) {
        UUID tenantId = tenant.require();
        StringBuilder sql = new StringBuilder("with page as (select p.tenant_id, p.product_id, p.handle, p.title, p.description"
                + " from catalog_product p where p.tenant_id = ? and p.status = 'active'");
        after.ifPresent(a -> sql.append(" and p.handle > ?"));
        titleContains.ifPresent(q -> sql.append(" and lower(p.title) like ? escape '\\'"));
        collection.ifPresent(c -> sql.append(" and p.product_id in (select cp.product_id from catalog_collection_product cp"
                + " where cp.tenant_id = ? and cp.collection_id = ?)"));
        sql.append(" order by p.handle limit ?) select p.product_id, p.handle, p.title, p.description, ").append(VARIANT_COLUMNS)
                .append(" from page p").append(VARIANT_JOINS).append(" order by p.handle, v.position, v.sku");
        List<StorefrontProduct> products = read(sql.toString(), statement -> {
            int i = 1;
            statement.setObject(i++, tenantId);
            if (after.isPresent()) {
                statement.setString(i++, after.get());
            }
            if (titleContains.isPresent()) {
                statement.setString(i++, Cursors.containsPattern(titleContains.get()));
            }
            if (collection.isPresent()) {
                statement.setObject(i++, tenantId);
                statement.setObject(i++, collection.get());
            }
            statement.setInt(i, limit + 1);
        });
        boolean more = products.size() > limit;
        if (more) {
            products = products.subList(0, limit);
        }
        return new ProductPage(List.copyOf(products), more ? Cursors.encode(products.get(products.size() - 1).handle()) : null);
    }

    @TenantTransactional
    public Optional<StorefrontProduct> product(String handle) {
        UUID tenantId = tenant.require();
        List<StorefrontProduct> found = read("select p.product_id, p.handle, p.title, p.description, " + VARIANT_COLUMNS
                + " from catalog_product p" + VARIANT_JOINS
                + " where p.tenant_id = ? and p.handle = ? and p.status = 'active' order by v.position, v.sku", statement -> {
                    statement.setObject(1, tenantId);
                    statement.setString(2, handle);
                });
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    @TenantTransactional
    public Optional<CollectionView> collection(String handle, int limit) {
        Optional<String[]> found = collectionRow(handle);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String[] row = found.get();
        return Optional.of(new CollectionView(row[1], row[2],
                page(Optional.empty(), limit, Optional.empty(), Optional.of(UUID.fromString(row[0])))));
    }

    /** The id of a collection by handle. */
    @TenantTransactional
    public Optional<UUID> collectionId(String handle) {
        return collectionRow(handle).map(row -> UUID.fromString(row[0]));
    }

    /** Id, handle and title of a collection. */
    private Optional<String[]> collectionRow(String handle) {
        UUID tenantId = tenant.require();
        return session().doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "select collection_id, handle, title from catalog_collection where tenant_id = ? and handle = ?")) {
                statement.setObject(1, tenantId);
                statement.setString(2, handle);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? Optional.of(new String[] {rows.getString(1), rows.getString(2), rows.getString(3)})
                            : Optional.<String[]>empty();
                }
            }
        });
    }

    /** Binds the statement's parameters. */
    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** Products with their variants from rows of product columns then variant columns, in the rows' order. */
    private List<StorefrontProduct> read(String sql, Binder binder) {
        return session().doReturningWork(connection -> {
            Map<UUID, Building> products = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                binder.bind(statement);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        UUID id = rows.getObject(1, UUID.class);
                        Building product = products.get(id);
                        if (product == null) {
                            product = new Building(id, rows.getString(2), rows.getString(3), rows.getString(4));
                            products.put(id, product);
                        }
                        if (rows.getObject(5) != null) {
                            product.variants.add(variant(rows));
                        }
                    }
                }
            }
            return products.values().stream().map(Building::build).toList();
        });
    }

    private StorefrontVariant variant(ResultSet rows) throws SQLException {
        Map<String, String> options;
        try {
            String text = rows.getString(10);
            options = text == null || text.equals("{}") ? Map.of() : json.readValue(text, OPTIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("options of variant " + rows.getString(5) + " are not a JSON object of strings", e);
        }
        return new StorefrontVariant(rows.getObject(5, UUID.class), rows.getString(6), rows.getString(7), rows.getLong(8),
                rows.getString(9).trim(), options, rows.getInt(11));
    }

    /** A product whose variant rows are still being read. */
    private record Building(UUID id, String handle, String title, String description, List<StorefrontVariant> variants) {

        Building(UUID id, String handle, String title, String description) {
            this(id, handle, title, description, new ArrayList<>());
        }

        StorefrontProduct build() {
            return new StorefrontProduct(id, handle, title, description, List.copyOf(variants));
        }
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
