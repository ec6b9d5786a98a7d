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
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import orders.internal.Carts;
import orders.internal.holds.CartHolds;
import orders.internal.waitingroom.RoomSettings.Room;
import orders.internal.waitingroom.Tickets.Checked;
import orders.internal.waitingroom.Tickets.Ticket;
import platform.Problem;
import platform.ProblemException;
import tenancy.TenantContext;

/**
 * A shop's waiting room for checkouts. While it is on (its merchant turned it on, or it turned itself on because more
 * checkouts came within a second than it admits per second: {@link Surge}), a checkout needs an admitted ticket: one without
 * a ticket joins the shop's queue and is either admitted at once (a quiet shop) or answered with a ticket, its place
 * and the expected wait; the shopper comes back with the ticket when its turn has come. A checkout whose whole cart is
 * sold out is answered 409 "Sold out" at the door and while it waits, never admitted to find out. Tickets are admitted in the
 * order they were handed out, at the shop's admission rate. State lives in the cell's Redis ({@link ShopQueue}); when
 * Redis cannot answer, checkouts of a shop whose room is on are refused with 503 and {@code Retry-After}, never let
 * through unqueued (stock stays exact either way: checkout never oversells).
 */
@ApplicationScoped
public class WaitingRoom {

    private static final Logger LOG = Logger.getLogger(WaitingRoom.class);

    /** The request header that carries a ticket. */
    public static final String HEADER = "Queue-Ticket";
    /** Where a shopper asks where its ticket stands. */
    public static final URI STATUS = URI.create("/api/storefront/queue");
    /** How long a refused checkout is asked to wait when Redis cannot answer. */
    static final Duration UNAVAILABLE_RETRY = Duration.ofSeconds(2);
    /**
     * How many looks a second a shop's waiting shoppers may send together, per checkout it admits a second: a look
     * costs one Redis round trip and no database read, some thirty times less than a checkout. A shopper checks back
     * when its turn is due or when the shop's share of looks allows, whichever is sooner, and at most every second:
     * while a few hundred wait, every one learns within about a second that the stock it waits for is gone; ten
     * thousand waiting never send more than this many looks.
     */
    static final int LOOKS_PER_ADMISSION = 10;
    /** The longest a waiting shopper is asked to stay away. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    /** What a checkout may do. */
    public sealed interface Decision permits Proceed, Wait {}

    /** Check out now; {@code throughRoom}: the room is on (a placed order counts among its figures). */
    public record Proceed(boolean throughRoom) implements Decision {}

    /** Wait: the ticket, its place in the queue (1 = next), the expected wait, and when to ask again. */
    public record Wait(String ticket, long position, Duration expectedWait, Duration retryAfter) implements Decision {}

    /**
     * Where a ticket stands: admitted (check out now with it), sold out (every item of its cart), or waiting at a place,
     * with the expected wait and when to ask again.
     */
    public record Status(boolean admitted, boolean soldOut, long position, Duration expectedWait, Duration retryAfter) {}

    @Inject RoomSettings settings;
    @Inject ShopQueue queue;
    @Inject TenantContext tenant;
    @Inject Clock clock;
    @Inject Carts carts;
    @Inject SoldOut soldOut;
    @Inject CartHolds holds;
    @Inject Surge surge;

    /** Whether the shop's checkouts go through its waiting room now: its merchant has it on, or demand turned it on. */
    boolean active(Room room, UUID shop, long nowMillis) {
        return room.enabled() || room.automatic() && surge.on(shop, nowMillis);
    }

    /**
     * The way of a checkout of {@code cart} in the bound shop, which presented {@code presented} (or no ticket).
     *
     * @throws ProblemException 400 naming {@link #HEADER} for a ticket that is forged, of another shop or cart, or
     *                          expired; 503 with {@code Retry-After} when the queue cannot be reached
     */
    public Decision enter(UUID cart, Optional<String> presented) {
        Room room = settings.current();
        UUID shop = tenant.require();
        Instant now = clock.instant();
        if (room.automatic() && presented.isEmpty()) {
            surge.arrived(shop, room.admitPerSecond(), now.toEpochMilli()); // demand: new checkouts, counted on or off
        }
        if (!active(room, shop, now.toEpochMilli())) {
            return new Proceed(false);
        }
        if (presented.isPresent()) {
            Ticket ticket = verified(presented.get(), shop, Optional.of(cart), now);
            ShopQueue.Place place = inQueue(() -> queue.look(shop, room.admitPerSecond(), now.toEpochMilli()));
            if (ticket.number() <= place.admitted()) {
                return new Proceed(true);
            }
            refuseIfSoldOut(items(ticket));
            return wait(presented.get().strip(), ticket.number() - place.admitted(), place, room);
        }
        // the cart's variants as mirrored while the room is on (a sale's shoppers fill their carts then): no database read
        List<UUID> variants = inQueue(() -> queue.mirrored(shop, cart)).orElseGet(() -> carts.variantsIn(cart));
        if (variants.isEmpty()) {
            return new Proceed(true); // no such cart, or an empty one: the checkout answers that at once, no place is taken
        }
        // a shopper whose whole cart is gone is told at the door, without a ticket
        refuseIfSoldOut(variants);
        ShopQueue.Place place = inQueue(() -> queue.join(shop, room.admitPerSecond(), now.toEpochMilli()));
        if (place.issued() <= place.admitted()) {
            return new Proceed(true);
        }
        String ticket = Tickets.issue(inQueue(queue::signingKey), new Ticket(shop, cart, place.issued(), now, variants));
        return wait(ticket, place.issued() - place.admitted(), place, room);
    }

    /**
     * A cart of the bound shop now holds these variants: while the shop's room is on, the queue mirrors them, so that
     * the cart's checkout joins the queue without a database read. A mirror that cannot be written is left behind
     * (the checkout then reads the cart; what the mirror says only decides what a waiting shopper is told, never
     * whether stock is taken).
     */
    public void cartChanged(UUID cart, List<UUID> variants) {
        UUID shop = tenant.require();
        if (!active(settings.current(), shop, clock.millis())) {
            return;
        }
        try {
            queue.mirror(shop, cart, variants);
        } catch (RuntimeException unreachable) {
            LOG.debugf("cart %s of shop %s not mirrored: %s", cart, shop, unreachable.getMessage());
        }
    }

    /** Where a ticket of the bound shop stands. */
    public Status status(String presented) {
        Room room = settings.current();
        UUID shop = tenant.require();
        Instant now = clock.instant();
        Ticket ticket = verified(presented, shop, Optional.empty(), now);
        if (!active(room, shop, now.toEpochMilli())) {
            return new Status(true, false, 0, Duration.ZERO, Duration.ZERO); // the room is off now: every ticket may check out
        }
        ShopQueue.Place place = inQueue(() -> queue.look(shop, room.admitPerSecond(), now.toEpochMilli()));
        long position = Math.max(0, ticket.number() - place.admitted());
        if (position > 0 && soldOut.every(items(ticket)) && !holds.on()) {
            queue.count(shop, ShopQueue.Tally.SOLD_OUT);
            return new Status(false, true, position, Duration.ZERO, Duration.ZERO);
        }
        return new Status(position == 0, false, position, expected(position, room), retryAfter(position, place, room));
    }

    /** The variants a ticket waits for: those its cart held when it joined (read from the cart if the ticket has none). */
    private List<UUID> items(Ticket ticket) {
        return ticket.items().isEmpty() ? carts.variantsIn(ticket.cart()) : ticket.items();
    }

    /** A call to the queue in Redis; any failure of it refuses the checkout with 503 (never lets it through unqueued). */
    private static <T> T inQueue(Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException unreachable) {
            throw unavailable();
        }
    }

    /** An order placed through the bound shop's room: one more in its figures. */
    public void placed() {
        queue.count(tenant.require(), ShopQueue.Tally.SOLD);
    }

    /**
     * 409 "Sold out" when every item of the cart is sold out: the shopper need not wait for that answer. Not while the
     * shop's carts hold their stock: what a cart holds is out of the stock left but still the cart's to buy (its
     * checkout tells a cart whose hold lapsed meanwhile "Out of stock").
     */
    private void refuseIfSoldOut(List<UUID> variants) {
        if (soldOut.every(variants) && !holds.on()) {
            queue.count(tenant.require(), ShopQueue.Tally.SOLD_OUT);
            throw new ProblemException(new Problem(URI.create("about:blank"), "Sold out", 409,
                    "Every item in the cart is sold out.", null,
                    variants.stream().map(v -> new Problem.FieldError("lines[" + v + "]", "sold out")).toList()));
        }
    }

    private Ticket verified(String presented, UUID shop, Optional<UUID> cart, Instant now) {
        Checked checked = Tickets.check(inQueue(queue::signingKey), presented, shop, cart, now);
        return checked.ticket().orElseThrow(() -> ProblemException.invalidField(HEADER, checked.refusal().orElseThrow().message));
    }

    private static Wait wait(String ticket, long position, ShopQueue.Place place, Room room) {
        return new Wait(ticket, position, expected(position, room), retryAfter(position, place, room));
    }

    /**
     * When a waiting ticket should look again: when its turn is due, or sooner if the shop's share of looks
     * ({@link #LOOKS_PER_ADMISSION} per admission a second, spread over everyone waiting) allows; at least a second,
     * at most {@link #MAX_RETRY}.
     */
    static Duration retryAfter(long position, ShopQueue.Place place, Room room) {
        long waiting = Math.max(1, place.issued() - place.admitted());
        double share = (double) waiting / ((long) LOOKS_PER_ADMISSION * room.admitPerSecond());
        double turn = (double) position / room.admitPerSecond();
        long seconds = (long) Math.ceil(Math.min(share, turn));
        return Duration.ofSeconds(Math.clamp(seconds, 1, MAX_RETRY.toSeconds()));
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
