package catalog.internal;

import catalog.internal.StorefrontViews.CollectionView;
import catalog.internal.StorefrontViews.ProductPage;
import catalog.internal.StorefrontViews.StorefrontProduct;
import catalog.internal.StorefrontViews.StorefrontVariant;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tenancy.TenantTransactional;

/** Storefront reads of the bound tenant's catalogue from PostgreSQL (active products only). */
@ApplicationScoped
public class StorefrontCatalog {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;

    @TenantTransactional
    public ProductPage page(Optional<String> after, int limit, Optional<String> titleContains, Optional<UUID> collection) {
        StringBuilder jpql = new StringBuilder("select p from Product p where p.status = 'active'");
        after.ifPresent(a -> jpql.append(" and p.handle > :after"));
        titleContains.ifPresent(q -> jpql.append(" and lower(p.title) like :pattern escape '\\'"));
        collection.ifPresent(c -> jpql.append(
                " and p.productId in (select cp.productId from CollectionProduct cp where cp.collectionId = :collection)"));
        jpql.append(" order by p.handle");
        TypedQuery<Product> query = entityManager().createQuery(jpql.toString(), Product.class).setMaxResults(limit + 1);
        after.ifPresent(a -> query.setParameter("after", a));
        titleContains.ifPresent(q -> query.setParameter("pattern", Cursors.containsPattern(q)));
        collection.ifPresent(c -> query.setParameter("collection", c));
        List<Product> products = query.getResultList();
        boolean more = products.size() > limit;
        if (more) {
            products = products.subList(0, limit);
        }
        List<StorefrontProduct> items = withVariants(products);
        return new ProductPage(items, more ? Cursors.encode(products.get(products.size() - 1).handle) : null);
    }

    @TenantTransactional
    public Optional<StorefrontProduct> product(String handle) {
        List<Product> found = entityManager().createQuery(
                        "select p from Product p where p.handle = :handle and p.status = 'active'", Product.class)
                .setParameter("handle", handle).getResultList();
        return found.isEmpty() ? Optional.empty() : Optional.of(withVariants(found).get(0));
    }

    @TenantTransactional
    public Optional<CollectionView> collection(String handle, int limit) {
        List<Collection> found = entityManager().createQuery("select c from Collection c where c.handle = :handle", Collection.class)
                .setParameter("handle", handle).getResultList();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Collection c = found.get(0);
        return Optional.of(new CollectionView(c.handle, c.title,
                page(Optional.empty(), limit, Optional.empty(), Optional.of(c.collectionId))));
    }

    /** The id of a collection by handle. */
    @TenantTransactional
    public Optional<UUID> collectionId(String handle) {
        return entityManager().createQuery("select c.collectionId from Collection c where c.handle = :handle", UUID.class)
                .setParameter("handle", handle).getResultStream().findFirst();
    }

    private List<StorefrontProduct> withVariants(List<Product> products) {
        if (products.isEmpty()) {
            return List.of();
        }
        Map<UUID, List<StorefrontVariant>> variants = new LinkedHashMap<>();
        products.forEach(p -> variants.put(p.productId, new ArrayList<>()));
        List<Object[]> rows = entityManager().createQuery("select v, i.available from Variant v left join Inventory i"
                        + " on i.variantId = v.variantId where v.productId in :ids order by v.position, v.sku", Object[].class)
                .setParameter("ids", variants.keySet()).getResultList();
        for (Object[] row : rows) {
            Variant v = (Variant) row[0];
            int available = row[1] == null ? 0 : (Integer) row[1];
            variants.get(v.productId).add(new StorefrontVariant(v.variantId, v.sku, v.title, v.priceMinor, v.currency,
                    v.options, available));
        }
        return products.stream().map(p -> new StorefrontProduct(p.productId, p.handle, p.title, p.description,
                List.copyOf(variants.get(p.productId)))).toList();
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
