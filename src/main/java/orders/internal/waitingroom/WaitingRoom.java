package orders.internal.waitingroom;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import orders.internal.waitingroom.RoomSettings.Room;
import orders.internal.waitingroom.Tickets.Checked;
import orders.internal.waitingroom.Tickets.Ticket;
import platform.Problem;
import platform.ProblemException;
import tenancy.TenantContext;

/**
 * A shop's waiting room for checkouts. While the merchant has it on, a checkout needs an admitted ticket: one without
 * a ticket joins the shop's queue and is either admitted at once (a quiet shop) or answered with a ticket, its place
 * and the expected wait; the shopper comes back with the ticket when its turn has come. Tickets are admitted in the
 * order they were handed out, at the shop's admission rate. State lives in the cell's Redis ({@link ShopQueue}); when
 * Redis cannot answer, checkouts of a shop whose room is on are refused with 503 and {@code Retry-After}, never let
 * through unqueued (stock stays exact either way: checkout never oversells).
 */
@ApplicationScoped
public class WaitingRoom {

    /** The request header that carries a ticket. */
    public static final String HEADER = "Queue-Ticket";
    /** Where a shopper asks where its ticket stands. */
    public static final URI STATUS = URI.create("/api/storefront/queue");
    /** How long a refused checkout is asked to wait when Redis cannot answer. */
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(2);
    /** The longest {@code Retry-After} a waiting shopper is given: it checks back at least this often. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** What a checkout may do. */
    public sealed interface Decision permits Proceed, Wait {}

    /** Check out now. */
    public record Proceed() implements Decision {}

    /** Wait: the ticket, its place in the queue (1 = next) and the expected wait. */
    public record Wait(String ticket, long position, Duration expectedWait) implements Decision {

        /** When to ask again: the expected wait, at least a second and at most {@link #MAX_RETRY}. */
        public Duration retryAfter() {
            Duration wait = expectedWait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : expectedWait;
            return wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait;
        }
    }

    /** Where a ticket stands: admitted (check out now with it) or waiting at a place. */
    public record Status(boolean admitted, long position, Duration expectedWait) {}

    @Inject RoomSettings settings;
    @Inject ShopQueue queue;
    @Inject TenantContext tenant;
    @Inject Clock clock;

    /** Whether the bound shop's checkouts go through its waiting room now. */
    public boolean active() {
        return settings.current().enabled();
    }

    /**
     * The way of a checkout of {@code cart} in the bound shop, which presented {@code presented} (or no ticket).
     *
     * @throws ProblemException 400 naming {@link #HEADER} for a ticket that is forged, of another shop or cart, or
     *                          expired; 503 with {@code Retry-After} when the queue cannot be reached
     */
    public Decision enter(UUID cart, Optional<String> presented) {
        Room room = settings.current();
        if (!room.enabled()) {
            return new Proceed();
        }
        UUID shop = tenant.require();
        Instant now = clock.instant();
        try {
            if (presented.isPresent()) {
                Ticket ticket = verified(presented.get(), shop, Optional.of(cart), now);
                ShopQueue.Place place = queue.look(shop, room.admitPerSecond(), now.toEpochMilli());
                return ticket.number() <= place.admitted() ? new Proceed()
                        : wait(presented.get().strip(), ticket.number() - place.admitted(), room);
            }
            ShopQueue.Place place = queue.join(shop, room.admitPerSecond(), now.toEpochMilli());
            if (place.issued() <= place.admitted()) {
                return new Proceed();
            }
            String ticket = Tickets.issue(queue.signingKey(), new Ticket(shop, cart, place.issued(), now));
            return wait(ticket, place.issued() - place.admitted(), room);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException unreachable) {
            throw unavailable();
        }
    }

    /** Where a ticket of the bound shop stands. */
    public Status status(String presented) {
        Room room = settings.current();
        UUID shop = tenant.require();
        Instant now = clock.instant();
        try {
            Ticket ticket = verified(presented, shop, Optional.empty(), now);
            if (!room.enabled()) {
                return new Status(true, 0, Duration.ZERO); // the room was turned off: every ticket may check out
            }
            ShopQueue.Place place = queue.look(shop, room.admitPerSecond(), now.toEpochMilli());
            long position = Math.max(0, ticket.number() - place.admitted());
            return new Status(position == 0, position, expected(position, room));
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException unreachable) {
            throw unavailable();
        }
    }

    private Ticket verified(String presented, UUID shop, Optional<UUID> cart, Instant now) {
        Checked checked = Tickets.check(queue.signingKey(), presented, shop, cart, now);
        return checked.ticket().orElseThrow(() -> ProblemException.invalidField(HEADER, checked.refusal().orElseThrow().message));
    }

    private static Wait wait(String ticket, long position, Room room) {
        return new Wait(ticket, position, expected(position, room));
    }

    private static Duration expected(long position, Room room) {
        return Duration.ofMillis((long) Math.ceil(position * 1000.0 / room.admitPerSecond()));
    }

    private static ProblemException unavailable() {
        return new ProblemException(new Problem(URI.create("about:blank"), "Waiting room unavailable", 503,
                "This shop's checkouts go through its waiting room, which cannot take new shoppers right now; try again shortly.",
                null, List.of()), UNAVAILABLE_RETRY);
    }
}
