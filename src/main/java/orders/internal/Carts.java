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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;
import orders.internal.OrderViews.CartLineView;
import orders.internal.OrderViews.CartView;
import orders.internal.holds.CartHolds;
import orders.internal.sql.Jdbc;
import platform.ProblemException;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * Shoppers' carts of the bound tenant, in plain SQL on the tenant transaction's connection (ADR 0026): a cart change is
 * a conditional update of the cart row (which also serialises the changes of one cart) and one statement on its line;
 * every statement names the tenant, and row-level security admits only its rows anyway. While the shop's stock holds
 * are on, a line's change also takes or gives back the stock it holds ({@link CartHolds}), under the same lock.
 */
@ApplicationScoped
public class Carts {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject CartHolds holds;
    @Inject TenantContext tenant;
    @Inject Clock clock;

    /** A cart line as stored. */
    record Line(UUID variantId, int quantity) {}

    @TenantTransactional
    public CartView create() {
        UUID tenantId = tenant.require();
        UUID cartId = UUID.randomUUID();
        Instant now = clock.instant();
        session().doWork(c -> Jdbc.update(c, "insert into orders_cart (tenant_id, cart_id, created_at, updated_at) values (?, ?, ?, ?)",
                tenantId, cartId, now, now));
        return new CartView(cartId, null, List.of(), 0);
    }

    @TenantTransactional
    public Optional<CartView> get(UUID cartId) {
        return currencyOf(cartId).map(currency -> view(cartId, currency.isEmpty() ? null : currency, Map.of()));
    }

    @TenantTransactional
    public Optional<CartView> add(UUID cartId, UUID variantId, int quantity) {
        UUID tenantId = tenant.require();
        VariantView variant = catalog.variants(List.of(variantId)).get(variantId);
        if (variant == null || !variant.purchasable()) {
            if (currencyOf(cartId).isEmpty()) {
                return Optional.empty(); // no such cart: that answer comes first
            }
            throw invalid("variantId", "is not a variant on sale in this shop");
        }
        Instant now = clock.instant();
        // the cart takes the variant's currency unless it already has another one; the row stays locked to the commit
        boolean updated = session().doReturningWork(c -> Jdbc.update(c, "update orders_cart set currency = ?, updated_at = ?"
                + " where tenant_id = ? and cart_id = ? and (currency is null or currency = ?)",
                variant.currency(), now, tenantId, cartId, variant.currency()) == 1);
        if (!updated) {
            Optional<String> currency = currencyOf(cartId);
            if (currency.isEmpty()) {
                return Optional.empty();
            }
            throw invalid("variantId", "is priced in " + variant.currency() + " but the cart is in " + currency.get());
        }
        // the line added up (none if that would pass the limit), with what it held, and the cart's other lines, in one
        // round trip
        List<Line> lines = new ArrayList<>();
        int[] added = {-1, 0}; // the line's quantity and what it held; -1: not added
        session().doWork(c -> lines.addAll(Jdbc.list(c, "with up as (insert into orders_cart_line as l (tenant_id, cart_id,"
                + " variant_id, quantity) values (?, ?, ?, ?) on conflict (tenant_id, cart_id, variant_id) do update"
                + " set quantity = l.quantity + excluded.quantity where l.quantity + excluded.quantity <= ?"
                + " returning l.variant_id, l.quantity, l.held)"
                + " select variant_id, quantity, held, true from up union all select variant_id, quantity, held, false"
                + " from orders_cart_line where tenant_id = ? and cart_id = ? and variant_id <> ? order by 1",
                row -> {
                    if (row.getBoolean(4)) {
                        added[0] = row.getInt(2);
                        added[1] = row.getInt(3);
                    }
                    return new Line(row.getObject(1, UUID.class), row.getInt(2));
                }, tenantId, cartId, variantId, quantity, OrderViews.MAX_QUANTITY, tenantId, cartId, variantId)));
        if (added[0] < 0) {
            throw invalid("quantity", "a cart holds at most " + OrderViews.MAX_QUANTITY + " of one variant");
        }
        holds.lineChanged(cartId, variantId, added[0], added[1]);
        return Optional.of(view(cartId, variant.currency(), lines, Map.of(variantId, variant)));
    }

    @TenantTransactional
    public Optional<CartView> setQuantity(UUID cartId, UUID variantId, int quantity) {
        UUID tenantId = tenant.require();
        Optional<String> currency = touch(cartId);
        if (currency.isEmpty()) {
            return Optional.empty();
        }
        Integer held = session().doReturningWork(c -> Jdbc.first(c, "update orders_cart_line set quantity = ?"
                + " where tenant_id = ? and cart_id = ? and variant_id = ? returning held",
                row -> row.getInt(1), quantity, tenantId, cartId, variantId));
        if (held == null) {
            throw noLine(variantId);
        }
        holds.lineChanged(cartId, variantId, quantity, held);
        return Optional.of(view(cartId, currency.get().isEmpty() ? null : currency.get(), Map.of()));
    }

    @TenantTransactional
    public Optional<CartView> remove(UUID cartId, UUID variantId) {
        UUID tenantId = tenant.require();
        if (touch(cartId).isEmpty()) {
            return Optional.empty();
        }
        Integer held = session().doReturningWork(c -> Jdbc.first(c, "delete from orders_cart_line"
                + " where tenant_id = ? and cart_id = ? and variant_id = ? returning held",
                row -> row.getInt(1), tenantId, cartId, variantId));
        if (held == null) {
            throw noLine(variantId);
        }
        holds.lineChanged(cartId, variantId, 0, held);
        // an emptied cart takes the currency of whatever is added next
        String currency = session().doReturningWork(c -> Jdbc.first(c, "update orders_cart o set currency = case when exists"
                + " (select 1 from orders_cart_line l where l.tenant_id = o.tenant_id and l.cart_id = o.cart_id)"
                + " then o.currency end where o.tenant_id = ? and o.cart_id = ? returning o.currency",
                row -> row.getString(1), tenantId, cartId));
        return Optional.of(view(cartId, currency == null ? null : currency.trim(), Map.of()));
    }

    /** The variants in a cart (none when it is empty or there is no such cart). */
    @TenantTransactional
    public List<UUID> variantsIn(UUID cartId) {
        return lines(cartId).stream().map(Line::variantId).toList();
    }

    /** The stored lines of a cart, by variant id. */
    List<Line> lines(UUID cartId) {
        UUID tenantId = tenant.require();
        return session().doReturningWork(c -> Jdbc.list(c, "select variant_id, quantity from orders_cart_line"
                + " where tenant_id = ? and cart_id = ? order by variant_id",
                row -> new Line(row.getObject(1, UUID.class), row.getInt(2)), tenantId, cartId));
    }

    /** The cart priced now; {@code known} are variants already read in this transaction. */
    private CartView view(UUID cartId, String currency, Map<UUID, VariantView> known) {
        return view(cartId, currency, lines(cartId), known);
    }

    /** The cart with these lines (by variant id), priced now. */
    private CartView view(UUID cartId, String currency, List<Line> lines, Map<UUID, VariantView> known) {
        Map<UUID, VariantView> variants = new HashMap<>(known);
        List<UUID> missing = lines.stream().map(Line::variantId).filter(id -> !variants.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            variants.putAll(catalog.variants(missing));
        }
        List<CartLineView> views = new ArrayList<>();
        long subtotal = 0;
        for (Line line : lines) {
            VariantView v = variants.get(line.variantId());
            if (v == null) {
                continue; // the variant was deleted; checkout refuses such carts
            }
            long lineTotal = Math.multiplyExact(v.priceMinor(), line.quantity());
            subtotal = Math.addExact(subtotal, lineTotal);
            views.add(new CartLineView(v.variantId(), v.sku(), v.productTitle(), v.title(), line.quantity(),
                    v.priceMinor(), lineTotal, v.available()));
        }
        return new CartView(cartId, currency, views, subtotal);
    }

    /** The cart's currency ("" when it has none yet), or empty when there is no such cart. */
    private Optional<String> currencyOf(UUID cartId) {
        UUID tenantId = tenant.require();
        return session().doReturningWork(c -> Optional.ofNullable(Jdbc.first(c,
                "select coalesce(currency, '') from orders_cart where tenant_id = ? and cart_id = ?",
                row -> row.getString(1).trim(), tenantId, cartId)));
    }

    /** Marks the cart changed now and locks it to the commit; its currency ("" when none), or empty when there is no such cart. */
    private Optional<String> touch(UUID cartId) {
        UUID tenantId = tenant.require();
        Instant now = clock.instant();
        return session().doReturningWork(c -> Optional.ofNullable(Jdbc.first(c,
                "update orders_cart set updated_at = ? where tenant_id = ? and cart_id = ? returning coalesce(currency, '')",
                row -> row.getString(1).trim(), now, tenantId, cartId)));
    }

    private static ProblemException noLine(UUID variantId) {
        return ProblemException.notFound("This cart has no line for variant " + variantId + ".");
    }

    static ProblemException invalid(String field, String message) {
        return ProblemException.invalidField(field, message);
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
