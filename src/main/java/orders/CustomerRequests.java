package orders;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A shopper's data requests to the bound tenant's shop, as its merchant answers them (admin API and admin UI):
 * everything the shop holds about one customer, and the customer's redaction. Emails are matched whatever their case.
 */
public interface CustomerRequests {

    /** The customer's data, if the shop holds any under that email. */
    Optional<CustomerData> data(String email);

    /**
     * Redacts the customer of that email: the orders stay (the shop's accounts need them) with the email replaced by an
     * address that names no one, the customer record likewise with its name cleared, every order's status link changed.
     * Empty if the shop holds nothing under that email.
     */
    Optional<Redaction> redact(String email);

    /** Everything the shop holds about a customer. */
    record CustomerData(String email, Customer customer, List<OrderData> orders, Instant exportedAt) {}

    /** The customer record (absent for orders placed before the shop kept records). */
    record Customer(UUID id, String email, String name, int orders, long spentMinor, String currency, Instant createdAt) {}

    /** An order with its lines. */
    record OrderData(UUID id, long number, String status, String currency, long totalMinor, String email,
                     Instant createdAt, Instant updatedAt, List<Line> lines) {}

    /** A line of an order. */
    record Line(int lineNo, UUID variantId, String sku, String title, long unitPriceMinor, int quantity) {}

    /** What a redaction changed. */
    record Redaction(String redactedEmail, int customers, int orders) {}
}
