package orders.internal;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import orders.MerchantOrders;
import platform.ProblemException;
import tenancy.TenantTransactional;

/** {@link MerchantOrders} over the order store of the bound tenant. */
@ApplicationScoped
public class MerchantOrdersImpl implements MerchantOrders {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject Orders orders;

    @Override
    public OrderPage list(Optional<String> status, Optional<String> emailContains, Optional<String> before, int limit) {
        Optional<Instant> beforeTime = Optional.empty();
        Optional<UUID> beforeId = Optional.empty();
        if (before.isPresent()) {
            String[] parts = before.get().split("_", 2);
            try {
                long micros = Long.parseLong(parts[0], 36);
                beforeTime = Optional.of(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000));
                beforeId = Optional.of(UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.invalidCursor("before");
            }
        }
        List<Checkout.Result> found = orders.list(status, emailContains, beforeTime, beforeId, limit);
        boolean more = found.size() > limit;
        List<Checkout.Result> page = more ? found.subList(0, limit) : found;
        String next = null;
        if (more) {
            Order last = page.get(page.size() - 1).order();
            long micros = last.createdAt.getEpochSecond() * 1_000_000 + last.createdAt.getNano() / 1000;
            next = Long.toString(micros, 36) + "_" + last.orderId;
        }
        return new OrderPage(page.stream().map(MerchantOrdersImpl::view).toList(), next);
    }

    @Override
    public Optional<MerchantOrder> get(UUID orderId) {
        return orders.get(orderId).map(MerchantOrdersImpl::view);
    }

    @Override
    public Optional<MerchantOrder> transition(UUID orderId, String nextStatus) {
        return orders.transition(orderId, nextStatus, "cancelled".equals(nextStatus) ? "cancelled by the merchant" : null)
                .map(MerchantOrdersImpl::view);
    }

    @Override
    @TenantTransactional
    public Sales sales(Instant from, Instant to) {
        long count = 0;
        Map<String, Long> revenue = new TreeMap<>();
        for (Object[] row : cellEntityManager.get().createQuery("select o.currency, count(o), sum(o.totalMinor) from ShopOrder o"
                        + " where o.createdAt >= :from and o.createdAt < :to and o.status not in ('cancelled', 'refunded')"
                        + " group by o.currency", Object[].class)
                .setParameter("from", from).setParameter("to", to).getResultList()) {
            count += (Long) row[1];
            revenue.put((String) row[0], (Long) row[2]);
        }
        return new Sales(count, revenue);
    }

    /** An order with its lines as the merchant sees it. */
    static MerchantOrder view(Checkout.Result result) {
        Order o = result.order();
        List<Line> lines = result.lines().stream().map(l -> new Line(l.lineNo, l.variantId, l.sku, l.title, l.quantity,
                l.unitPriceMinor, l.unitPriceMinor * l.quantity)).toList();
        List<String> next = STATUSES.stream().filter(o::canBecome).toList();
        return new MerchantOrder(o.orderId, o.number, o.status, o.currency, o.totalMinor, o.email, lines, o.createdAt,
                o.updatedAt, next);
    }
}
