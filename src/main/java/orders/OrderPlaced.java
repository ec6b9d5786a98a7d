package orders;

import java.util.List;
import java.util.UUID;

/** Data of an {@code OrderPlaced} event (topic {@link #TOPIC}, keyed by order id). */
public record OrderPlaced(UUID orderId, long number, String email, String currency, long totalMinor, List<Line> lines) {

    /** Topic of order events on the platform ({@code <platform>.orders.events}; {@link platform.PlatformId#topic}). */
    public static final String TOPIC = "orders.events";

    /** One line of the order. */
    public record Line(UUID variantId, String sku, int quantity, long unitPriceMinor) {}
}
