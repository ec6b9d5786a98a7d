package orders.internal.holds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** How a checkout splits its quantities against what its cart held: stock to take, and holds to give back. */
class CartHoldsTest {

    static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    static final UUID C = UUID.fromString("00000000-0000-0000-0000-00000000000c");

    @Test
    void withoutHoldsTheOrderTakesEverythingFromStock() {
        CartHolds.Split split = CartHolds.split(Map.of(A, 2, B, 1), Map.of());
        assertEquals(Map.of(A, 2, B, 1), split.take());
        assertEquals(Map.of(), split.surplus());
    }

    @Test
    void aHoldCoversItsLineAndTheRestIsTaken() {
        CartHolds.Split split = CartHolds.split(Map.of(A, 3, B, 2), Map.of(A, 3, B, 1));
        assertEquals(Map.of(B, 1), split.take());
        assertEquals(Map.of(), split.surplus());
    }

    @Test
    void whatACartHeldBeyondItsOrderGoesBack() {
        // A's line was read before it grew (holds 4, orders 1); C was added after the read: all of it goes back
        CartHolds.Split split = CartHolds.split(Map.of(A, 1, B, 2), Map.of(A, 4, C, 2));
        assertEquals(Map.of(B, 2), split.take());
        assertEquals(Map.of(A, 3, C, 2), split.surplus());
    }
}
