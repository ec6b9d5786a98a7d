package catalog.internal;

import catalog.AdminViews;
import catalog.AdminViews.LowStockVariant;
import catalog.MerchantCatalog;
import catalog.ProductChanged;
import catalog.AdminViews.AdminCollection;
import catalog.AdminViews.AdminProduct;
import catalog.AdminViews.AdminProductPage;
import catalog.AdminViews.AdminVariant;
import catalog.AdminViews.CollectionInput;
import catalog.AdminViews.InventoryAdjustment;
import catalog.AdminViews.ProductInput;
import catalog.AdminViews.ProductUpdate;
import catalog.AdminViews.StockLevel;
import catalog.AdminViews.VariantInput;
import catalog.AdminViews.VariantUpdate;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import platform.Outbox;
import platform.ProblemException;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/** The merchant's catalogue operations on the bound tenant; every change emits events and invalidates the cache after commit. */
@ApplicationScoped
public class AdminCatalog implements MerchantCatalog {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject CatalogChanges changes;
    @Inject CatalogServiceImpl inventory;
    @Inject Clock clock;

    @Override
    @TenantTransactional
    public AdminProductPage list(Optional<String> cursor, int limit, Optional<String> contains) {
        Optional<String> after = Cursors.decode(cursor.orElse(null), "after");
        StringBuilder jpql = new StringBuilder("select p from Product p where 1 = 1");
        after.ifPresent(a -> jpql.append(" and p.handle > :after"));
        contains.ifPresent(q -> jpql.append(" and (lower(p.title) like :pattern escape '\\'"
                + " or lower(p.description) like :pattern escape '\\')"));
        jpql.append(" order by p.handle");
        TypedQuery<Product> query = entityManager().createQuery(jpql.toString(), Product.class).setMaxResults(limit + 1);
        after.ifPresent(a -> query.setParameter("after", a));
        contains.ifPresent(q -> query.setParameter("pattern", Cursors.containsPattern(q)));
        List<Product> products = query.getResultList();
        boolean more = products.size() > limit;
        if (more) {
            products = products.subList(0, limit);
        }
        return new AdminProductPage(views(products), more ? Cursors.encode(products.get(products.size() - 1).handle) : null);
    }

    @Override
    @TenantTransactional
    public Optional<AdminProduct> get(UUID productId) {
        return Optional.ofNullable(entityManager().find(Product.class, productId)).map(p -> views(List.of(p)).get(0));
    }

    @Override
    @TenantTransactional
    public AdminProduct create(ProductInput input) {
        requireFreeHandle(input.handle(), null);
        Map<String, Integer> skus = new HashMap<>();
        for (int i = 0; i < input.variants().size(); i++) {
            VariantInput v = input.variants().get(i);
            requireCurrency(v.currency(), "variants[" + i + "].currency");
            if (skus.put(v.sku(), i) != null) {
                throw invalid("variants[" + i + "].sku", "is used by another variant of this product");
            }
            requireFreeSku(v.sku(), "variants[" + i + "].sku");
        }
        Instant now = clock.instant();
        Product product = new Product();
        product.productId = UUID.randomUUID();
        product.handle = input.handle();
        product.title = input.title().strip();
        product.description = input.description() == null ? "" : input.description();
        product.status = input.status() == null ? "active" : input.status();
        product.createdAt = now;
        product.updatedAt = now;
        entityManager().persist(product);
        for (int i = 0; i < input.variants().size(); i++) {
            addVariant(product.productId, input.variants().get(i), i);
        }
        setCollections(product.productId, input.collections() == null ? List.of() : input.collections(), "collections");
        entityManager().flush();
        productChanged(product, "created");
        return views(List.of(product)).get(0);
    }

    @Override
    @TenantTransactional
    public Optional<AdminProduct> update(UUID productId, ProductUpdate update) {
        Product product = entityManager().find(Product.class, productId);
        if (product == null) {
            return Optional.empty();
        }
        if (update.handle() != null && !update.handle().equals(product.handle)) {
            requireFreeHandle(update.handle(), productId);
            product.handle = update.handle();
        }
        if (update.title() != null) {
            product.title = update.title().strip();
        }
        if (update.description() != null) {
            product.description = update.description();
        }
        if (update.status() != null) {
            product.status = update.status();
        }
        if (update.collections() != null) {
            entityManager().createQuery("delete from CollectionProduct cp where cp.productId = :id")
                    .setParameter("id", productId).executeUpdate();
            setCollections(productId, update.collections(), "collections");
        }
        product.updatedAt = clock.instant();
        entityManager().flush();
        productChanged(product, "updated");
        return Optional.of(views(List.of(product)).get(0));
    }

    @Override
    @TenantTransactional
    public boolean delete(UUID productId) {
        Product product = entityManager().find(Product.class, productId);
        if (product == null) {
            return false;
        }
        List<UUID> variantIds = entityManager().createQuery("select v.variantId from Variant v where v.productId = :id", UUID.class)
                .setParameter("id", productId).getResultList();
        if (!variantIds.isEmpty()) {
            entityManager().createQuery("delete from Inventory i where i.variantId in :ids").setParameter("ids", variantIds).executeUpdate();
            entityManager().createQuery("delete from Variant v where v.productId = :id").setParameter("id", productId).executeUpdate();
        }
        entityManager().createQuery("delete from CollectionProduct cp where cp.productId = :id").setParameter("id", productId).executeUpdate();
        entityManager().remove(product);
        productChanged(product, "deleted");
        return true;
    }

    @Override
    @TenantTransactional
    public Optional<AdminProduct> addVariant(UUID productId, VariantInput input) {
        Product product = entityManager().find(Product.class, productId);
        if (product == null) {
            return Optional.empty();
        }
        requireCurrency(input.currency(), "currency");
        requireFreeSku(input.sku(), "sku");
        long position = entityManager().createQuery("select count(v) from Variant v where v.productId = :id", Long.class)
                .setParameter("id", productId).getSingleResult();
        if (position >= 100) {
            throw invalid("sku", "a product has at most 100 variants");
        }
        addVariant(productId, input, (int) position);
        product.updatedAt = clock.instant();
        entityManager().flush();
        productChanged(product, "updated");
        return Optional.of(views(List.of(product)).get(0));
    }

    @Override
    @TenantTransactional
    public Optional<AdminProduct> updateVariant(UUID variantId, VariantUpdate update) {
        Variant variant = entityManager().find(Variant.class, variantId);
        if (variant == null) {
            return Optional.empty();
        }
        if (update.title() != null) {
            variant.title = update.title().strip();
        }
        if (update.priceMinor() != null) {
            variant.priceMinor = update.priceMinor();
        }
        if (update.currency() != null) {
            requireCurrency(update.currency(), "currency");
            variant.currency = update.currency();
        }
        if (update.options() != null) {
            variant.options = new LinkedHashMap<>(update.options());
        }
        Product product = entityManager().find(Product.class, variant.productId);
        product.updatedAt = clock.instant();
        entityManager().flush();
        productChanged(product, "updated");
        return Optional.of(views(List.of(product)).get(0));
    }

    @Override
    @TenantTransactional
    public boolean deleteVariant(UUID variantId) {
        Variant variant = entityManager().find(Variant.class, variantId);
        if (variant == null) {
            return false;
        }
        long siblings = entityManager().createQuery("select count(v) from Variant v where v.productId = :id", Long.class)
                .setParameter("id", variant.productId).getSingleResult();
        if (siblings <= 1) {
            throw ProblemException.conflict("A product keeps at least one variant; delete the product instead.");
        }
        entityManager().createQuery("delete from Inventory i where i.variantId = :id").setParameter("id", variantId).executeUpdate();
        entityManager().remove(variant);
        Product product = entityManager().find(Product.class, variant.productId);
        product.updatedAt = clock.instant();
        productChanged(product, "updated");
        return true;
    }

    @Override
    @TenantTransactional
    public Optional<StockLevel> adjustInventory(UUID variantId, InventoryAdjustment adjustment) {
        Variant variant = entityManager().find(Variant.class, variantId);
        if (variant == null) {
            return Optional.empty();
        }
        CatalogServiceImpl.Adjusted adjusted = inventory.adjust(variantId, adjustment.delta(), true);
        if (adjusted == null) {
            throw ProblemException.conflict("Stock of " + variant.sku + " cannot go below zero.");
        }
        if (adjusted.available() > AdminViews.MAX_STOCK) {
            throw invalid("delta", "stock would exceed " + AdminViews.MAX_STOCK);
        }
        inventory.inventoryChanged(variantId, adjustment.delta(), adjusted, adjustment.reason(), false);
        return Optional.of(new StockLevel(variantId, variant.sku, adjusted.available()));
    }

    @Override
    @TenantTransactional
    public AdminCollection createCollection(CollectionInput input) {
        boolean taken = !entityManager().createQuery("select c.collectionId from Collection c where c.handle = :h")
                .setParameter("h", input.handle()).getResultList().isEmpty();
        if (taken) {
            throw ProblemException.conflict("handle", "A collection with handle " + input.handle() + " exists.");
        }
        Collection collection = new Collection();
        collection.collectionId = UUID.randomUUID();
        collection.handle = input.handle();
        collection.title = input.title().strip();
        collection.createdAt = clock.instant();
        entityManager().persist(collection);
        entityManager().flush();
        changes.changed();
        return new AdminCollection(collection.collectionId, collection.handle, collection.title);
    }

    @Override
    @TenantTransactional
    public List<AdminCollection> collections() {
        return entityManager().createQuery("select c from Collection c order by c.handle", Collection.class)
                .setMaxResults(1000).getResultList().stream()
                .map(c -> new AdminCollection(c.collectionId, c.handle, c.title)).toList();
    }

    @Override
    @TenantTransactional
    public List<LowStockVariant> lowStock(int threshold, int limit) {
        return entityManager().createQuery("select p.productId, p.title, v.variantId, v.sku, v.title, i.available"
                        + " from Inventory i, Variant v, Product p where v.variantId = i.variantId and p.productId = v.productId"
                        + " and p.status = 'active' and i.available <= :threshold order by i.available, p.title, v.position",
                        Object[].class)
                .setParameter("threshold", threshold).setMaxResults(limit).getResultList().stream()
                .map(r -> new LowStockVariant((UUID) r[0], (String) r[1], (UUID) r[2], (String) r[3], (String) r[4],
                        (Integer) r[5])).toList();
    }

    private void addVariant(UUID productId, VariantInput input, int position) {
        Variant variant = new Variant();
        variant.variantId = UUID.randomUUID();
        variant.productId = productId;
        variant.sku = input.sku();
        variant.title = input.title().strip();
        variant.priceMinor = input.priceMinor();
        variant.currency = input.currency();
        variant.options = input.options() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(input.options());
        variant.position = position;
        entityManager().persist(variant);
        Inventory stock = new Inventory();
        stock.variantId = variant.variantId;
        stock.available = input.inventory();
        stock.updatedAt = clock.instant();
        entityManager().persist(stock);
    }

    private void setCollections(UUID productId, List<String> handles, String field) {
        for (int i = 0; i < handles.size(); i++) {
            String handle = handles.get(i);
            UUID collectionId = entityManager().createQuery("select c.collectionId from Collection c where c.handle = :h", UUID.class)
                    .setParameter("h", handle).getResultStream().findFirst()
                    .orElseThrow(() -> invalid(field, "no collection has the handle " + handle));
            if (entityManager().find(CollectionProduct.class, new CollectionProduct.Key(collectionId, productId)) == null) {
                CollectionProduct membership = new CollectionProduct();
                membership.collectionId = collectionId;
                membership.productId = productId;
                entityManager().persist(membership);
            }
        }
    }

    private void requireFreeHandle(String handle, UUID except) {
        List<UUID> owners = entityManager().createQuery("select p.productId from Product p where p.handle = :h", UUID.class)
                .setParameter("h", handle).getResultList();
        if (!owners.isEmpty() && !owners.get(0).equals(except)) {
            throw ProblemException.conflict("handle", "A product with handle " + handle + " exists.");
        }
    }

    private void requireFreeSku(String sku, String field) {
        if (!entityManager().createQuery("select v.variantId from Variant v where v.sku = :s").setParameter("s", sku)
                .getResultList().isEmpty()) {
            throw ProblemException.conflict(field, "A variant with SKU " + sku + " exists.");
        }
    }

    private static void requireCurrency(String code, String field) {
        try {
            Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "is not an ISO 4217 currency code");
        }
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.invalidField(field, message);
    }

    private void productChanged(Product product, String change) {
        outbox.record(tenant.require(), ProductChanged.TOPIC, product.productId.toString(), "ProductChanged",
                new ProductChanged(product.productId, product.handle, change));
        changes.changed();
    }

    private List<AdminProduct> views(List<Product> products) {
        if (products.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = products.stream().map(p -> p.productId).toList();
        Map<UUID, List<AdminVariant>> variants = new HashMap<>();
        for (Object[] row : entityManager().createQuery("select v, i.available from Variant v left join Inventory i"
                        + " on i.variantId = v.variantId where v.productId in :ids order by v.position, v.sku", Object[].class)
                .setParameter("ids", ids).getResultList()) {
            Variant v = (Variant) row[0];
            variants.computeIfAbsent(v.productId, k -> new ArrayList<>()).add(new AdminVariant(v.variantId, v.sku, v.title,
                    v.priceMinor, v.currency, v.options, row[1] == null ? 0 : (Integer) row[1]));
        }
        Map<UUID, List<String>> collections = new HashMap<>();
        for (Object[] row : entityManager().createQuery("select cp.productId, c.handle from CollectionProduct cp, Collection c"
                        + " where c.collectionId = cp.collectionId and cp.productId in :ids order by c.handle", Object[].class)
                .setParameter("ids", ids).getResultList()) {
            collections.computeIfAbsent((UUID) row[0], k -> new ArrayList<>()).add((String) row[1]);
        }
        return products.stream().map(p -> new AdminProduct(p.productId, p.handle, p.title, p.description, p.status,
                variants.getOrDefault(p.productId, List.of()), collections.getOrDefault(p.productId, List.of()),
                p.createdAt, p.updatedAt)).toList();
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
