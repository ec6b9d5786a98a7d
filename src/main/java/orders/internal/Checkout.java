package orders.internal;

import catalog.CatalogService;
import catalog.OutOfStock;
import catalog.VariantView;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import orders.OrderPlaced;
import orders.internal.OrderViews.CheckoutInput;
import platform.Outbox;
import platform.Problem;
import platform.ProblemException;
import platform.Secrets;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * Turns a cart into an order in one transaction: the stock of every line is reserved (never
 * oversold), the order and its lines are written, the cart is consumed and the {@code OrderPlaced}
 * event is recorded in the outbox; either all of it commits or none of it. Retries with an
 * idempotency key are answered by {@link platform.Idempotency} before they reach this class.
 */
@ApplicationScoped
public class Checkout {

    /** What a checkout produced, and whether it is a replay of an earlier one. */
    public record Result(Order order, List<OrderLine> lines, boolean replayed) {}

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject Clock clock;

    @TenantTransactional
    public Result checkout(CheckoutInput input) {
        // The cart row lock serialises checkouts of one cart: the second finds the cart consumed.
        Cart cart = entityManager().find(Cart.class, input.cartId(), LockModeType.PESSIMISTIC_WRITE);
        if (cart == null) {
            throw ProblemException.notFound("This shop has no cart " + input.cartId() + ".");
        }
        List<CartLine> cartLines = entityManager().createQuery(
                        "select l from CartLine l where l.cartId = :cart order by l.variantId", CartLine.class)
                .setParameter("cart", cart.cartId).getResultList();
        if (cartLines.isEmpty()) {
            throw ProblemException.conflict("The cart is empty.");
        }
        Map<UUID, VariantView> variants = catalog.variants(cartLines.stream().map(l -> l.variantId).toList());
        Map<UUID, Integer> quantities = new LinkedHashMap<>();
        for (CartLine line : cartLines) {
            VariantView v = variants.get(line.variantId);
            if (v == null || !v.purchasable()) {
                throw ProblemException.conflict("Variant " + line.variantId + " in the cart is no longer on sale.");
            }
            if (!v.currency().equals(cart.currency)) {
                throw ProblemException.conflict("The price of variant " + line.variantId + " is now in another currency.");
            }
            quantities.put(line.variantId, line.quantity);
        }
        try {
            catalog.reserve(quantities, "checkout");
        } catch (OutOfStock e) {
            throw new ProblemException(new Problem(java.net.URI.create("about:blank"), "Out of stock", 409,
                    "Not enough stock for " + e.variants().size() + " line(s) of the cart.", null,
                    e.variants().stream().map(id -> new Problem.FieldError("lines[" + id + "]", "not enough stock")).toList()));
        }
        Instant now = clock.instant();
        Order order = new Order();
        order.orderId = UUID.randomUUID();
        order.number = nextNumber();
        order.status = "placed";
        order.currency = cart.currency;
        order.email = input.email().strip().toLowerCase(Locale.ROOT);
        order.statusToken = Secrets.randomToken("sfo_");
        order.cartId = cart.cartId;
        order.createdAt = now;
        order.updatedAt = now;
        List<OrderLine> lines = new ArrayList<>();
        long total = 0;
        int lineNo = 1;
        for (CartLine cartLine : cartLines) {
            VariantView v = variants.get(cartLine.variantId);
            OrderLine line = new OrderLine();
            line.orderId = order.orderId;
            line.lineNo = lineNo++;
            line.variantId = v.variantId();
            line.sku = v.sku();
            line.title = v.productTitle() + (v.title().isBlank() ? "" : " / " + v.title());
            if (line.title.length() > 255) {
                line.title = line.title.substring(0, 255);
            }
            line.unitPriceMinor = v.priceMinor();
            line.quantity = cartLine.quantity;
            total = Math.addExact(total, Math.multiplyExact(v.priceMinor(), cartLine.quantity));
            lines.add(line);
        }
        order.totalMinor = total;
        entityManager().persist(order);
        lines.forEach(entityManager()::persist);
        entityManager().createQuery("delete from CartLine l where l.cartId = :cart").setParameter("cart", cart.cartId).executeUpdate();
        entityManager().remove(cart);
        entityManager().flush();
        outbox.record(tenant.require(), OrderPlaced.TOPIC, order.orderId.toString(), "OrderPlaced",
                new OrderPlaced(order.orderId, order.number, order.email, order.currency, order.totalMinor,
                        lines.stream().map(l -> new OrderPlaced.Line(l.variantId, l.sku, l.quantity, l.unitPriceMinor)).toList()));
        return new Result(order, lines, false);
    }

    private long nextNumber() {
        Object next = entityManager().createNativeQuery("insert into orders_counter (tenant_id, next_number)"
                        + " values (platform_current_tenant(), 1001) on conflict (tenant_id)"
                        + " do update set next_number = orders_counter.next_number + 1 returning next_number")
                .getSingleResult();
        return ((Number) next).longValue();
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
