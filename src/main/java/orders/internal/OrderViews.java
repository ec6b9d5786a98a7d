package orders.internal;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import orders.StockHolds;
import orders.WaitingRooms;

/** Requests and views of carts, checkout and orders. */
public final class OrderViews {

    private OrderViews() {}

    /** Largest quantity of one variant in a cart or an order line. */
    public static final int MAX_QUANTITY = 1000;

    /** A variant to put in a cart. */
    public record LineInput(@NotNull UUID variantId, @Min(1) @Max(MAX_QUANTITY) int quantity) {}

    /** A new quantity of a cart line. */
    public record QuantityInput(@Min(1) @Max(MAX_QUANTITY) int quantity) {}

    /** A checkout of a cart. */
    public record CheckoutInput(@NotNull UUID cartId,
                                @NotBlank @Email @Size(max = 254) String email,
                                @Size(max = 200) String name) {}

    /** A line of a cart, priced now. */
    public record CartLineView(UUID variantId, String sku, String productTitle, String title, int quantity,
                               long unitPriceMinor, long lineTotalMinor, int available) {}

    /** A cart. */
    public record CartView(UUID id, String currency, List<CartLineView> lines, long subtotalMinor) {}

    /** A line of an order. */
    public record OrderLineView(int lineNo, UUID variantId, String sku, String title, int quantity,
                                long unitPriceMinor, long lineTotalMinor) {}

    /**
     * A checkout's place in its shop's waiting room: {@code waiting} (come back with the ticket in the
     * {@code Queue-Ticket} header after {@code Retry-After}), {@code admitted} (check out now with it) or
     * {@code sold_out} (every item of its cart is gone).
     */
    public record QueueView(String status, String ticket, long position, long expectedWaitSeconds) {}

    /**
     * A shop's waiting room as its merchant sets it: on now or not, whether it turns itself on when more checkouts come
     * within a second than it admits per second (left out: unchanged, on for a new room), and how many it admits per
     * second.
     */
    public record WaitingRoomView(@NotNull Boolean enabled, Boolean automatic, @NotNull @Min(1) @Max(WaitingRooms.MAX_ADMIT_PER_SECOND)
                                  Integer admitPerSecond) {}

    /**
     * A shop's waiting room: its settings, and now: whether it is on and why ({@code off}, {@code merchant},
     * {@code demand}), shoppers waiting, tickets handed out and admitted, orders placed through it and answers "sold
     * out" since its queue last started ({@code live} false when the queue could not be read).
     */
    public record WaitingRoomState(boolean enabled, boolean automatic, int admitPerSecond, String on, long waiting, long issued,
                                   long admitted, long sold, long soldOut, boolean live) {}

    /**
     * How long a cart holds the stock of its lines after its last change, in seconds (0: holds off; at most
     * {@link StockHolds#MAX_HOLD_SECONDS}).
     */
    public record StockHoldsView(@NotNull @Min(0) @Max(StockHolds.MAX_HOLD_SECONDS) Integer holdSeconds) {}

    /** An order as the shopper sees it (with its status token right after checkout). */
    public record OrderView(UUID id, long number, String status, String currency, long totalMinor, String email,
                            List<OrderLineView> lines, Instant createdAt, Instant updatedAt, String statusToken) {}
}
