package orders.internal.holds;

import catalog.CatalogService;
import catalog.OutOfStock;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.net.URI;
import java.sql.Array;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;
import orders.internal.sql.Jdbc;
import platform.Problem;
import platform.ProblemException;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * The stock that cart lines hold ({@code orders_cart_line.held}, until {@code held_until}): taken from the variant's
 * stock when a line grows while the shop's holds are on, given back when it shrinks or goes, claimed by the checkout
 * that consumes the cart, and returned by {@link HoldExpiry} when the cart was left alone longer than the shop's hold
 * time. Every change runs in the transaction of the cart change or checkout and under its cart row's lock, as does the
 * expiry, so a hold is counted exactly once: by its line or back in stock. With holds off nothing here runs a
 * statement unless a line still holds stock from before.
 */
@ApplicationScoped
public class CartHolds {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject HoldSettings settings;
    @Inject TenantContext tenant;

    /**
     * After a line of a locked cart changed to {@code quantity} (0: removed) while it held {@code heldBefore}: with holds
     * on, the line holds all its quantity from now for the shop's hold time, and so do the cart's other holds; with holds
     * off, it keeps at most its quantity of what it held.
     *
     * @throws ProblemException 409 when the stock cannot cover the line (the caller's transaction then rolls back)
     */
    public void lineChanged(UUID cartId, UUID variantId, int quantity, int heldBefore) {
        Duration hold = settings.current();
        boolean on = !hold.isZero();
        if (!on && heldBefore == 0) {
            return;
        }
        int target = on ? quantity : Math.min(heldBefore, quantity);
        int delta = target - heldBefore;
        if (delta > 0) {
            try {
                catalog.reserve(Map.of(variantId, delta), "held by a cart");
            } catch (OutOfStock e) {
                throw new ProblemException(new Problem(URI.create("about:blank"), "Out of stock", 409,
                        "Not enough stock to hold " + quantity + " of variant " + variantId + " in this cart.", null,
                        List.of(new Problem.FieldError("quantity", "more than the stock left"))));
            }
        } else if (delta < 0) {
            catalog.restock(Map.of(variantId, -delta), "released by a cart");
        }
        UUID shop = tenant.require();
        if (on) {
            // the line holds its quantity, and every hold of the cart runs from this change
            session().doWork(c -> Jdbc.update(c, "update orders_cart_line set held = case when variant_id = ? then ? else held end,"
                    + " held_until = now() + make_interval(secs => ?) where tenant_id = ? and cart_id = ? and (held > 0 or variant_id = ?)",
                    variantId, target, (double) hold.toSeconds(), shop, cartId, variantId));
        } else if (quantity > 0 && delta != 0) {
            session().doWork(c -> Jdbc.update(c, "update orders_cart_line set held = ?, held_until = case when ? > 0 then held_until end"
                    + " where tenant_id = ? and cart_id = ? and variant_id = ?", target, target, shop, cartId, variantId));
        }
    }

    /** Whether carts of the bound shop take holds now (as this node last read the setting). */
    public boolean on() {
        return !settings.current().isZero();
    }

    /**
     * Takes over what the lines of a locked cart hold, for its checkout: the held units, by variant, are the order's now
     * (a lapsed hold not yet returned still counts: its stock is still out of sale), and the lines hold nothing.
     */
    public Map<UUID, Integer> claim(UUID cartId) {
        UUID shop = tenant.require();
        Map<UUID, Integer> held = new TreeMap<>();
        session().doWork(c -> Jdbc.list(c, "with old as (select variant_id, held from orders_cart_line where tenant_id = ?"
                + " and cart_id = ? and held > 0 for update) update orders_cart_line l set held = 0, held_until = null from old"
                + " where l.tenant_id = ? and l.cart_id = ? and l.variant_id = old.variant_id returning l.variant_id, old.held",
                row -> held.put(row.getObject(1, UUID.class), row.getInt(2)), shop, cartId, shop, cartId));
        return held;
    }

    /** What an order must still take from stock, and what its cart held beyond the order, by variant. */
    public record Split(Map<UUID, Integer> take, Map<UUID, Integer> surplus) {}

    /**
     * Splits an order's quantities against what its cart held (by variant): each line takes from stock what its hold
     * does not cover; a hold beyond its line's quantity, or of a variant the order does not have, is surplus.
     */
    public static Split split(Map<UUID, Integer> quantities, Map<UUID, Integer> held) {
        Map<UUID, Integer> take = new LinkedHashMap<>();
        Map<UUID, Integer> surplus = new TreeMap<>();
        quantities.forEach((variant, quantity) -> {
            int need = quantity - held.getOrDefault(variant, 0);
            if (need > 0) {
                take.put(variant, need);
            } else if (need < 0) {
                surplus.put(variant, -need);
            }
        });
        held.forEach((variant, units) -> {
            if (units > 0 && !quantities.containsKey(variant)) {
                surplus.put(variant, units);
            }
        });
        return new Split(take, surplus);
    }

    /** Puts back in stock what deleted lines still held (by variant). */
    public void released(Map<UUID, Integer> held) {
        if (!held.isEmpty()) {
            catalog.restock(held, "released by a cart");
        }
    }

    /**
     * Returns the lapsed holds of these carts of the bound shop to stock: the carts that no change or checkout has locked
     * (the others are left for the next round), their lines' holds whose time has passed. The units returned.
     */
    @TenantTransactional
    public int expire(List<UUID> cartIds) {
        UUID shop = tenant.require();
        Map<UUID, Integer> lapsed = new TreeMap<>();
        session().doWork(c -> {
            Array carts = c.createArrayOf("uuid", cartIds.toArray());
            Jdbc.list(c, "with locked as (select cart_id from orders_cart where tenant_id = ? and cart_id = any(?)"
                    + " order by cart_id for update skip locked),"
                    + " old as (select l.cart_id, l.variant_id, l.held from orders_cart_line l join locked on locked.cart_id = l.cart_id"
                    + " where l.tenant_id = ? and l.held > 0 and l.held_until < now() for update of l)"
                    + " update orders_cart_line l set held = 0, held_until = null from old where l.tenant_id = ?"
                    + " and l.cart_id = old.cart_id and l.variant_id = old.variant_id returning l.variant_id, old.held",
                    row -> lapsed.merge(row.getObject(1, UUID.class), row.getInt(2), Integer::sum), shop, carts, shop, shop);
        });
        released(lapsed);
        return lapsed.values().stream().mapToInt(Integer::intValue).sum();
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
