package orders;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The orders of the bound tenant as its merchant works with them (admin API and admin UI). Unknown
 * ids, and ids of another tenant's orders, are empty results.
 */
public interface MerchantOrders {

    /** Order statuses, in the order an order usually goes through them. */
    List<String> STATUSES = List.of("placed", "paid", "fulfilled", "cancelled", "refunded");

    /**
     * Orders, newest first, optionally of one status and with an email containing a text; {@code before}
     * is the {@link OrderPage#next()} cursor of the previous page.
     *
     * @throws platform.ProblemException 400 naming {@code before} for a cursor this API did not issue
     */
    OrderPage list(Optional<String> status, Optional<String> emailContains, Optional<String> before, int limit);

    Optional<MerchantOrder> get(UUID orderId);

    /**
     * Moves an order to another status (paid, fulfilled, cancelled with restock, refunded).
     *
     * @throws platform.ProblemException 409 if the order's status does not allow it
     */
    Optional<MerchantOrder> transition(UUID orderId, String nextStatus);

    /** Orders placed in {@code [from, to)} and their revenue per currency (cancelled and refunded orders excluded). */
    Sales sales(Instant from, Instant to);

    /** An order with its lines and the statuses it may move to. */
    record MerchantOrder(UUID id, long number, String status, String currency, long totalMinor, String email,
                         List<Line> lines, Instant createdAt, Instant updatedAt, List<String> nextStatuses) {}

    /** A line of an order. */
    record Line(int lineNo, UUID variantId, String sku, String title, int quantity, long unitPriceMinor,
                long lineTotalMinor) {}

    /** A page of orders; {@code next} is null on the last page. */
    record OrderPage(List<MerchantOrder> items, String next) {}

    /** Sales of a period. */
    record Sales(long orders, Map<String, Long> revenueMinorByCurrency) {}
}
