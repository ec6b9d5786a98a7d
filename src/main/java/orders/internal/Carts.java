package orders.internal;

import catalog.CatalogService;
import catalog.VariantView;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import orders.internal.OrderViews.CartLineView;
import orders.internal.OrderViews.CartView;
import platform.ProblemException;
import tenancy.TenantTransactional;

/** Shoppers' carts of the bound tenant. */
@ApplicationScoped
public class Carts {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject Clock clock;

    @TenantTransactional
    public CartView create() {
        Cart cart = new Cart();
        cart.cartId = UUID.randomUUID();
        cart.createdAt = clock.instant();
        cart.updatedAt = cart.createdAt;
        entityManager().persist(cart);
        return new CartView(cart.cartId, null, List.of(), 0);
    }

    @TenantTransactional
    public Optional<CartView> get(UUID cartId) {
        return Optional.ofNullable(entityManager().find(Cart.class, cartId)).map(this::view);
    }

    @TenantTransactional
    public Optional<CartView> add(UUID cartId, UUID variantId, int quantity) {
        Cart cart = entityManager().find(Cart.class, cartId);
        if (cart == null) {
            return Optional.empty();
        }
        VariantView variant = purchasable(variantId);
        if (cart.currency != null && !cart.currency.equals(variant.currency())) {
            throw invalid("variantId", "is priced in " + variant.currency() + " but the cart is in " + cart.currency);
        }
        CartLine line = entityManager().find(CartLine.class, new CartLine.Key(cartId, variantId));
        int total = (line == null ? 0 : line.quantity) + quantity;
        if (total > OrderViews.MAX_QUANTITY) {
            throw invalid("quantity", "a cart holds at most " + OrderViews.MAX_QUANTITY + " of one variant");
        }
        if (line == null) {
            line = new CartLine();
            line.cartId = cartId;
            line.variantId = variantId;
            line.quantity = total;
            entityManager().persist(line);
        } else {
            line.quantity = total;
        }
        cart.currency = variant.currency();
        cart.updatedAt = clock.instant();
        return Optional.of(view(cart));
    }

    @TenantTransactional
    public Optional<CartView> setQuantity(UUID cartId, UUID variantId, int quantity) {
        Cart cart = entityManager().find(Cart.class, cartId);
        if (cart == null) {
            return Optional.empty();
        }
        CartLine line = entityManager().find(CartLine.class, new CartLine.Key(cartId, variantId));
        if (line == null) {
            throw ProblemException.notFound("This cart has no line for variant " + variantId + ".");
        }
        line.quantity = quantity;
        cart.updatedAt = clock.instant();
        return Optional.of(view(cart));
    }

    @TenantTransactional
    public Optional<CartView> remove(UUID cartId, UUID variantId) {
        Cart cart = entityManager().find(Cart.class, cartId);
        if (cart == null) {
            return Optional.empty();
        }
        CartLine line = entityManager().find(CartLine.class, new CartLine.Key(cartId, variantId));
        if (line == null) {
            throw ProblemException.notFound("This cart has no line for variant " + variantId + ".");
        }
        entityManager().remove(line);
        entityManager().flush();
        if (lines(cartId).isEmpty()) {
            cart.currency = null;
        }
        cart.updatedAt = clock.instant();
        return Optional.of(view(cart));
    }

    List<CartLine> lines(UUID cartId) {
        return entityManager().createQuery("select l from CartLine l where l.cartId = :cart order by l.variantId", CartLine.class)
                .setParameter("cart", cartId).getResultList();
    }

    CartView view(Cart cart) {
        List<CartLine> lines = lines(cart.cartId);
        Map<UUID, VariantView> variants = catalog.variants(lines.stream().map(l -> l.variantId).toList());
        List<CartLineView> views = new ArrayList<>();
        long subtotal = 0;
        for (CartLine line : lines) {
            VariantView v = variants.get(line.variantId);
            if (v == null) {
                continue; // the variant was deleted; checkout refuses such carts
            }
            long lineTotal = Math.multiplyExact(v.priceMinor(), line.quantity);
            subtotal = Math.addExact(subtotal, lineTotal);
            views.add(new CartLineView(v.variantId(), v.sku(), v.productTitle(), v.title(), line.quantity,
                    v.priceMinor(), lineTotal, v.available()));
        }
        return new CartView(cart.cartId, cart.currency, views, subtotal);
    }

    private VariantView purchasable(UUID variantId) {
        VariantView variant = catalog.variants(List.of(variantId)).get(variantId);
        if (variant == null || !variant.purchasable()) {
            throw invalid("variantId", "is not a variant on sale in this shop");
        }
        return variant;
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.invalidField(field, message);
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
