package orders;

import java.util.UUID;

/** Data of {@code OrderPaid}, {@code OrderFulfilled} and {@code OrderRefunded} events. */
public record OrderStatusChanged(UUID orderId, long number, String from, String to) {}
