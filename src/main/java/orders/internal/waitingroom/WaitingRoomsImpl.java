package orders.internal.waitingroom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.UUID;
import orders.WaitingRooms;
import orders.internal.waitingroom.RoomSettings.Room;
import tenancy.TenantContext;

/** {@link WaitingRooms} on the room's settings ({@link RoomSettings}), its queue ({@link ShopQueue}) and {@link Surge}. */
@ApplicationScoped
class WaitingRoomsImpl implements WaitingRooms {

    @Inject RoomSettings rooms;
    @Inject ShopQueue queue;
    @Inject Surge surge;
    @Inject TenantContext tenant;
    @Inject Clock clock;

    @Override
    public Settings settings() {
        Room room = rooms.read();
        return new Settings(room.enabled(), room.automatic(), room.admitPerSecond());
    }

    @Override
    public Settings save(Settings settings) {
        Room before = rooms.read();
        Room saved = rooms.save(new Room(settings.enabled(), settings.automatic(), settings.admitPerSecond()));
        if (!saved.automatic() || before.enabled() != saved.enabled()) {
            surge.end(tenant.require()); // the merchant decides now: a surge seen before does not outlive the decision
        }
        return new Settings(saved.enabled(), saved.automatic(), saved.admitPerSecond());
    }

    @Override
    public Figures figures() {
        Room room = rooms.read();
        UUID shop = tenant.require();
        long now = clock.millis();
        Reason on = room.enabled() ? Reason.MERCHANT : room.automatic() && surge.on(shop, now) ? Reason.DEMAND : Reason.OFF;
        try {
            ShopQueue.Figures f = queue.figures(shop, room.admitPerSecond(), now);
            return new Figures(on, Math.max(0, f.issued() - f.admitted()), f.issued(), f.admitted(), f.sold(), f.soldOut(), true);
        } catch (RuntimeException unreachable) {
            return new Figures(on, 0, 0, 0, 0, 0, false);
        }
    }
}
