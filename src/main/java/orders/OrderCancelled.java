package orders;

import java.util.UUID;

/** Data of an {@code OrderCancelled} event: the order was cancelled and its stock put back. */
public record OrderCancelled(UUID orderId, long number, String reason) {}
