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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.Session;
import orders.OrderPlaced;
import orders.internal.OrderViews.CheckoutInput;
import orders.internal.holds.CartHolds;
import orders.internal.sql.Jdbc;
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
 *
 * <p>Plain SQL on the tenant transaction's connection (ADR 0026), in this order: the cart row is locked and its lines
 * read (one statement), the variants priced (one), what the cart's lines hold claimed (one more statement while the
 * shop's stock holds are on or some line holds stock), the order's lines written and the cart removed (one), the stock
 * taken (one conditional update per line, in variant order), then the customer record counted, the shop's order
 * counter taken and the order written (one). The rows that every checkout of a shop needs (its best sellers' stock, its
 * counter) are thus taken last and stay locked only until the commit, which sends the events and the idempotency key's
 * answer with it (platform's closing writes: one round trip).
 */
@ApplicationScoped
public class Checkout {

    /** What a checkout produced, and whether it is a replay of an earlier one. */
    public record Result(Order order, List<OrderLine> lines, boolean replayed) {}

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject CartHolds holds;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject Clock clock;

    /** The first order number of a shop. */
    static final long FIRST_NUMBER = 1001;

    /** A cart row and one of its lines, with the stock it held when read (variant null when the cart has no line). */
    private record CartRow(String currency, UUID variantId, int quantity, int held) {}

    @TenantTransactional
    public Result checkout(CheckoutInput input) {
        UUID tenantId = tenant.require();
        // The cart row lock serialises checkouts of one cart: the second finds the cart consumed.
        List<CartRow> rows = session().doReturningWork(c -> Jdbc.list(c, "select c.currency, l.variant_id, l.quantity, l.held"
                + " from orders_cart c left join orders_cart_line l on l.tenant_id = c.tenant_id and l.cart_id = c.cart_id"
                + " where c.tenant_id = ? and c.cart_id = ? order by l.variant_id for update of c",
                row -> new CartRow(row.getString(1), row.getObject(2, UUID.class), row.getInt(3), row.getInt(4)),
                tenantId, input.cartId()));
        if (rows.isEmpty()) {
            throw ProblemException.notFound("This shop has no cart " + input.cartId() + ".");
        }
        if (rows.get(0).variantId() == null) {
            throw ProblemException.conflict("The cart is empty.");
        }
        String cartCurrency = rows.get(0).currency() == null ? null : rows.get(0).currency().trim();
        Map<UUID, VariantView> variants = catalog.variants(rows.stream().map(CartRow::variantId).toList());
        Map<UUID, Integer> quantities = new LinkedHashMap<>();
        for (CartRow line : rows) {
            VariantView v = variants.get(line.variantId());
            if (v == null || !v.purchasable()) {
                throw ProblemException.conflict("Variant " + line.variantId() + " in the cart is no longer on sale.");
            }
            if (!v.currency().equals(cartCurrency)) {
                throw ProblemException.conflict("The price of variant " + line.variantId() + " is now in another currency.");
            }
            quantities.put(line.variantId(), line.quantity());
        }
        Map<UUID, Integer> take = stillToTake(input.cartId(), rows, quantities);
        Instant now = clock.instant();
        Order order = new Order();
        order.tenantId = tenantId.toString();
        order.orderId = UUID.randomUUID();
        order.status = "placed";
        order.currency = cartCurrency;
        order.email = input.email().strip().toLowerCase(Locale.ROOT);
        order.statusToken = Secrets.randomToken("sfo_");
        order.cartId = input.cartId();
        order.createdAt = now;
        order.updatedAt = now;
        List<OrderLine> lines = new ArrayList<>();
        long total = 0;
        int lineNo = 1;
        for (CartRow cartLine : rows) {
            VariantView v = variants.get(cartLine.variantId());
            OrderLine line = new OrderLine();
            line.tenantId = order.tenantId;
            line.orderId = order.orderId;
            line.lineNo = lineNo++;
            line.variantId = v.variantId();
            line.sku = v.sku();
            line.title = v.productTitle() + (v.title().isBlank() ? "" : " / " + v.title());
            if (line.title.length() > 255) {
                line.title = line.title.substring(0, 255);
            }
            line.unitPriceMinor = v.priceMinor();
            line.quantity = cartLine.quantity();
            total = Math.addExact(total, Math.multiplyExact(v.priceMinor(), cartLine.quantity()));
            lines.add(line);
        }
        order.totalMinor = total;
        // the rows every checkout of the shop queues on (the stock of its best sellers, its order counter) are taken
        // last, so that they stay locked for the fewest round trips: lines and cart, then stock, then the order row;
        // the events and the idempotency key's answer go in one closing round trip (platform.Outbox)
        moveLines(tenantId, order, lines);
        try {
            catalog.reserve(take, "checkout");
        } catch (OutOfStock e) {
            throw new ProblemException(new Problem(java.net.URI.create("about:blank"), "Out of stock", 409,
                    "Not enough stock for " + e.variants().size() + " line(s) of the cart.", null,
                    e.variants().stream().map(id -> new Problem.FieldError("lines[" + id + "]", "not enough stock")).toList()));
        }
        writeOrder(tenantId, order);
        outbox.record(tenantId, OrderPlaced.TOPIC, order.orderId.toString(), "OrderPlaced",
                new OrderPlaced(order.orderId, order.number, order.email, order.currency, order.totalMinor,
                        lines.stream().map(l -> new OrderPlaced.Line(l.variantId, l.sku, l.quantity, l.unitPriceMinor)).toList()));
        return new Result(order, lines, false);
    }

    /**
     * The stock the order must still take, by variant: its quantities less what the cart's lines hold, which the order
     * claims ({@link CartHolds#claim}); a line holding more than it orders (changed since the read) gives the rest back.
     * The holds are read again under their row locks: what the locked cart's first read saw of them may be older.
     */
    private Map<UUID, Integer> stillToTake(UUID cartId, List<CartRow> rows, Map<UUID, Integer> quantities) {
        if (!holds.on() && rows.stream().allMatch(r -> r.held() == 0)) {
            return quantities;
        }
        CartHolds.Split split = CartHolds.split(quantities, holds.claim(cartId));
        holds.released(split.surplus());
        return split.take();
    }

    /**
     * Writes the order's lines and removes the cart, in one statement; a line that still held stock (a hold taken after
     * this checkout's claim was decided) gives it back.
     */
    private void moveLines(UUID tenantId, Order order, List<OrderLine> lines) {
        Map<UUID, Integer> stillHeld = new TreeMap<>();
        session().doWork(c -> {
            Object[] lineNos = lines.stream().map(l -> l.lineNo).toArray();
            Object[] variants = lines.stream().map(l -> l.variantId).toArray();
            Object[] skus = lines.stream().map(l -> l.sku).toArray();
            Object[] titles = lines.stream().map(l -> l.title).toArray();
            Object[] prices = lines.stream().map(l -> l.unitPriceMinor).toArray();
            Object[] quantities = lines.stream().map(l -> l.quantity).toArray();
            Jdbc.list(c, "with gone as (delete from orders_cart_line where tenant_id = ? and cart_id = ? returning variant_id, held),"
                    + " cart as (delete from orders_cart where tenant_id = ? and cart_id = ?),"
                    + " written as (insert into orders_order_line (tenant_id, order_id, line_no, variant_id, sku, title,"
                    + " unit_price_minor, quantity) select ?, ?, l.* from unnest(?, ?, ?, ?, ?, ?)"
                    + " as l(line_no, variant_id, sku, title, unit_price_minor, quantity))"
                    + " select variant_id, held from gone where held > 0",
                    row -> stillHeld.put(row.getObject(1, UUID.class), row.getInt(2)),
                    tenantId, order.cartId, tenantId, order.cartId, tenantId, order.orderId,
                    c.createArrayOf("int4", lineNos), c.createArrayOf("uuid", variants), c.createArrayOf("varchar", skus),
                    c.createArrayOf("varchar", titles), c.createArrayOf("int8", prices), c.createArrayOf("int4", quantities));
        });
        holds.released(stillHeld);
    }

    /**
     * Counts the order in the shop's customer record, takes the shop's next order number and writes the order, in one
     * statement: the customer row, then the counter row, stay locked to the commit, the same order in every checkout.
     */
    private void writeOrder(UUID tenantId, Order order) {
        session().doWork(c -> {
            Object[] written = Jdbc.first(c, "with customer as (insert into orders_customer as k (tenant_id, customer_id, email,"
                            + " orders, spent_minor, currency) values (?, gen_random_uuid(), ?, 1, ?, ?) on conflict (tenant_id, email)"
                            + " do update set orders = k.orders + 1, spent_minor = k.spent_minor + excluded.spent_minor"
                            + " returning customer_id),"
                            + " n as (insert into orders_counter as n (tenant_id, next_number) values (?, ?)"
                            + " on conflict (tenant_id) do update set next_number = n.next_number + 1 returning next_number)"
                            + " insert into orders_order (tenant_id, order_id, number, status, currency, total_minor, email,"
                            + " customer_id, status_token, cart_id, created_at, updated_at, version)"
                            + " select ?, ?, n.next_number, ?, ?, ?, ?, customer.customer_id, ?, ?, ?, ?, 0 from n, customer"
                            + " returning number, customer_id",
                    row -> new Object[] {row.getLong(1), row.getObject(2, UUID.class)},
                    tenantId, order.email, order.totalMinor, order.currency,
                    tenantId, FIRST_NUMBER,
                    tenantId, order.orderId, order.status, order.currency, order.totalMinor, order.email, order.statusToken,
                    order.cartId, order.createdAt, order.updatedAt);
            order.number = (Long) written[0];
            order.customerId = (UUID) written[1];
        });
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
