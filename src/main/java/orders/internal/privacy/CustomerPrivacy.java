package orders.internal.privacy;

import io.quarkus.arc.WithCaching;
import io.quarkus.hibernate.orm.PersistenceUnit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import orders.CustomerRequests;
import orders.internal.sql.Jdbc;
import org.hibernate.Session;
import platform.Secrets;
import tenancy.TenantContext;
import tenancy.TenantTransactional;

/**
 * {@link CustomerRequests} in plain SQL: a shopper's data requests as the shop's merchant answers them: everything the shop holds about one customer (the
 * customer record and every order placed with that email, with its lines), and the customer's redaction: the orders
 * stay (the shop's accounts need them) with the email replaced by an address that names no one, the customer record
 * likewise with its name cleared, and every order's status link changed (the old one no longer opens the order).
 * Carts hold no personal data (no email, no name) and are not touched.
 */
@ApplicationScoped
public class CustomerPrivacy implements CustomerRequests {

    /** The domain of redacted addresses (reserved: it never delivers mail). */
    public static final String REDACTED_DOMAIN = "redacted.invalid";

    /** Looked up on use: the cell persistence unit is inactive on other roles. */
    @Inject @WithCaching @PersistenceUnit("cell") Instance<EntityManager> cellEntityManager;
    @Inject TenantContext tenant;

    @Override
    @TenantTransactional
    public Optional<CustomerData> data(String email) {
        String address = normalised(email);
        UUID shop = tenant.require();
        return session().doReturningWork(c -> {
            Customer customer = Jdbc.first(c, "select customer_id, email, name, orders, spent_minor, currency, created_at"
                            + " from orders_customer where tenant_id = ? and email = ?",
                    row -> new Customer(row.getObject(1, UUID.class), row.getString(2), row.getString(3), row.getInt(4),
                            row.getLong(5), row.getString(6) == null ? null : row.getString(6).trim(),
                            row.getTimestamp(7).toInstant()), shop, address);
            Map<UUID, OrderData> orders = new LinkedHashMap<>();
            for (OrderData order : Jdbc.list(c, "select order_id, number, status, currency, total_minor, email, created_at,"
                            + " updated_at from orders_order where tenant_id = ? and (email = ? or customer_id = ?::uuid) order by number",
                    row -> new OrderData(row.getObject(1, UUID.class), row.getLong(2), row.getString(3), row.getString(4).trim(),
                            row.getLong(5), row.getString(6), row.getTimestamp(7).toInstant(), row.getTimestamp(8).toInstant(),
                            new ArrayList<>()),
                    shop, address, customer == null ? null : customer.id())) {
                orders.put(order.id(), order);
            }
            if (customer == null && orders.isEmpty()) {
                return Optional.<CustomerData>empty();
            }
            if (!orders.isEmpty()) {
                for (Object[] line : Jdbc.list(c, "select order_id, line_no, variant_id, sku, title, unit_price_minor, quantity"
                                + " from orders_order_line where tenant_id = ? and order_id = any(?) order by order_id, line_no",
                        row -> new Object[] {row.getObject(1, UUID.class), new Line(row.getInt(2), row.getObject(3, UUID.class),
                                row.getString(4), row.getString(5), row.getLong(6), row.getInt(7))},
                        shop, c.createArrayOf("uuid", orders.keySet().toArray()))) {
                    orders.get((UUID) line[0]).lines().add((Line) line[1]);
                }
            }
            return Optional.of(new CustomerData(address, customer, List.copyOf(orders.values()), Instant.now()));
        });
    }

    @Override
    @TenantTransactional
    public Optional<Redaction> redact(String email) {
        String address = normalised(email);
        UUID shop = tenant.require();
        return session().doReturningWork(c -> {
            UUID customer = Jdbc.first(c, "select customer_id from orders_customer where tenant_id = ? and email = ? for update",
                    row -> row.getObject(1, UUID.class), shop, address);
            String redacted = "redacted-" + (customer != null ? customer : UUID.randomUUID()) + "@" + REDACTED_DOMAIN;
            int customers = customer == null ? 0 : Jdbc.update(c, "update orders_customer set email = ?, name = '' where tenant_id = ?"
                    + " and customer_id = ?", redacted, shop, customer);
            List<UUID> orders = Jdbc.list(c, "select order_id from orders_order where tenant_id = ? and (email = ? or customer_id = ?::uuid)"
                    + " for update", row -> row.getObject(1, UUID.class), shop, address, customer);
            for (UUID order : orders) {
                Jdbc.update(c, "update orders_order set email = ?, status_token = ?, version = version + 1 where tenant_id = ?"
                        + " and order_id = ?", redacted, Secrets.randomToken("sfo_"), shop, order);
            }
            if (customers == 0 && orders.isEmpty()) {
                return Optional.<Redaction>empty();
            }
            return Optional.of(new Redaction(redacted, customers, orders.size()));
        });
    }

    static String normalised(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }

    private Session session() {
        return cellEntityManager.get().unwrap(Session.class);
    }
}
