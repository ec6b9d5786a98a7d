package orders.internal;

import catalog.CatalogService;
import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import orders.OrderCancelled;
import orders.OrderPlaced;
import orders.OrderStatusChanged;
import platform.Outbox;
import platform.ProblemException;
import platform.Secrets;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/** Orders of the bound tenant: lookups and the merchant's status changes. */
@ApplicationScoped
public class Orders {

    /** Looked up on use: the cell persistence unit is inactive on other roles, where these beans never run. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject CatalogService catalog;
    @Inject TenantContext tenant;
    @Inject Outbox outbox;
    @Inject java.time.Clock clock;

    /** An order, for the shopper holding its status token (a wrong token is as good as no order). */
    @TenantTransactional
    public Optional<Checkout.Result> forShopper(UUID orderId, String token) {
        Order order = entityManager().find(Order.class, orderId);
        if (order == null || token == null || !Secrets.sameString(order.statusToken, token)) {
            return Optional.empty();
        }
        return Optional.of(new Checkout.Result(order, lines(entityManager(), orderId), false));
    }

    @TenantTransactional
    public Optional<Checkout.Result> get(UUID orderId) {
        return Optional.ofNullable(entityManager().find(Order.class, orderId))
                .map(o -> new Checkout.Result(o, lines(entityManager(), orderId), false));
    }

    /**
     * Orders with their lines, newest first, optionally of one status; the cursor is the last order's
     * creation time and id. At most {@code limit + 1} orders (the extra one tells that more follow);
     * their lines are read in one query.
     */
    @TenantTransactional
    public List<Checkout.Result> list(Optional<String> status, Optional<String> emailContains, Optional<Instant> beforeTime,
                                      Optional<UUID> beforeId, int limit) {
        StringBuilder jpql = new StringBuilder("select o from ShopOrder o where 1 = 1");
        status.ifPresent(s -> jpql.append(" and o.status = :status"));
        emailContains.ifPresent(e -> jpql.append(" and o.email like :email escape '\\'"));
        if (beforeTime.isPresent() && beforeId.isPresent()) {
            jpql.append(" and (o.createdAt < :t or (o.createdAt = :t and o.orderId < :id))");
        }
        jpql.append(" order by o.createdAt desc, o.orderId desc");
        TypedQuery<Order> query = entityManager().createQuery(jpql.toString(), Order.class).setMaxResults(limit + 1);
        status.ifPresent(s -> query.setParameter("status", s));
        emailContains.ifPresent(e -> query.setParameter("email", platform.LikePatterns.containsLowerCase(e)));
        if (beforeTime.isPresent() && beforeId.isPresent()) {
            query.setParameter("t", beforeTime.get()).setParameter("id", beforeId.get());
        }
        List<Order> found = query.getResultList();
        Map<UUID, List<OrderLine>> lines = new java.util.HashMap<>();
        if (!found.isEmpty()) {
            entityManager().createQuery("select l from OrderLine l where l.orderId in :ids order by l.orderId, l.lineNo",
                            OrderLine.class)
                    .setParameter("ids", found.stream().map(o -> o.orderId).toList()).getResultList()
                    .forEach(l -> lines.computeIfAbsent(l.orderId, k -> new java.util.ArrayList<>()).add(l));
        }
        return found.stream().map(o -> new Checkout.Result(o, lines.getOrDefault(o.orderId, List.of()), false)).toList();
    }

    /** Moves an order to a new status; cancelling puts its stock back. */
    @TenantTransactional
    public Optional<Checkout.Result> transition(UUID orderId, String next, String reason) {
        Order order = entityManager().find(Order.class, orderId, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (order == null) {
            return Optional.empty();
        }
        if (!order.canBecome(next)) {
            throw ProblemException.conflict("A " + order.status + " order cannot become " + next + ".");
        }
        List<OrderLine> lines = lines(entityManager(), orderId);
        String previous = order.status;
        order.status = next;
        order.updatedAt = clock.instant();
        if ("cancelled".equals(next)) {
            Map<UUID, Integer> quantities = new LinkedHashMap<>();
            lines.forEach(l -> quantities.merge(l.variantId, l.quantity, Integer::sum));
            catalog.restock(quantities, "order " + order.number + " cancelled");
            outbox.record(tenant.require(), OrderPlaced.TOPIC, orderId.toString(), "OrderCancelled",
                    new OrderCancelled(orderId, order.number, reason));
        } else {
            String type = switch (next) {
                case "paid" -> "OrderPaid";
                case "fulfilled" -> "OrderFulfilled";
                default -> "OrderRefunded";
            };
            outbox.record(tenant.require(), OrderPlaced.TOPIC, orderId.toString(), type,
                    new OrderStatusChanged(orderId, order.number, previous, next));
        }
        return Optional.of(new Checkout.Result(order, lines, false));
    }

    static List<OrderLine> lines(EntityManager entityManager, UUID orderId) {
        return entityManager.createQuery("select l from OrderLine l where l.orderId = :id order by l.lineNo", OrderLine.class)
                .setParameter("id", orderId).getResultList();
    }

    private EntityManager entityManager() {
        return cellEntityManager.get();
    }
}
