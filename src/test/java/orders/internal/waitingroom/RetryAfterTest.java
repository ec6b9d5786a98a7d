package orders.internal.waitingroom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import orders.internal.waitingroom.RoomSettings.Room;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

    final Room room = new Room(true, true, 100);

    @Test
    void aShopperNearTheFrontComesBackWhenItsTurnIsDueAtLeastASecondLater() {
        assertEquals(Duration.ofSeconds(1), WaitingRoom.retryAfter(5, new ShopQueue.Place(105, 100), room));
        assertEquals(Duration.ofSeconds(1), WaitingRoom.retryAfter(100, new ShopQueue.Place(200, 100), room));
    }

    @Test
    void aFewHundredWaitingLookEverySecondWhateverTheirPlace() {
        // 900 waiting, 1,000 looks a second allowed: the last one too looks every second, long before its turn (9 s)
        assertEquals(Duration.ofSeconds(1), WaitingRoom.retryAfter(900, new ShopQueue.Place(1_000, 100), room));
    }

    @Test
    void manyWaitingShareTheShopsLooks() {
        // 5,000 waiting share 1,000 looks a second: each looks every 5 s unless its turn is sooner
        assertEquals(Duration.ofSeconds(5), WaitingRoom.retryAfter(4_000, new ShopQueue.Place(5_100, 100), room));
        assertEquals(Duration.ofSeconds(2), WaitingRoom.retryAfter(150, new ShopQueue.Place(5_100, 100), room));
        // and never stay away longer than the longest Retry-After
        assertEquals(WaitingRoom.MAX_RETRY, WaitingRoom.retryAfter(900_000, new ShopQueue.Place(1_000_100, 100), room));
    }
}
