package orders.internal.waitingroom;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import platform.Secrets;

/**
 * Queue tickets of a shop's waiting room:
 * {@code wr2.<shop>.<cart>.<number>.<issued epoch s>.<items>.<HMAC-SHA256>}, the signature over everything before it
 * with the cell's waiting-room key. A ticket names its shop and its cart, so it cannot be forged, used for another
 * cart, or on another shop; its number is its place in the shop's queue. Its items are the variants the cart held when
 * it joined (joined by {@code _}; none when the cart held more than {@link #MAX_ITEMS}): what the queue tells a waiting
 * shopper is sold out, without reading the cart on every look.
 */
public final class Tickets {

    static final String VERSION = "wr2";
    /** The most items a ticket carries; a bigger cart's ticket carries none (its cart is read instead). */
    static final int MAX_ITEMS = 8;
    /** The longest ticket: {@link #MAX_ITEMS} items and the rest. */
    public static final int MAX_LENGTH = 512;
    /** A ticket older than this is refused (its shopper joins the queue again). */
    static final Duration LIFETIME = Duration.ofHours(2);

    /** A ticket's content, once its signature is verified; {@code items} empty when the ticket does not carry them. */
    public record Ticket(UUID shop, UUID cart, long number, Instant issuedAt, List<UUID> items) {
        public Ticket {
            items = items.size() > MAX_ITEMS ? List.of() : List.copyOf(items);
        }
    }

    /** Why a ticket is refused. */
    public enum Refusal {
        MALFORMED("is not a queue ticket"),
        FORGED("is not a ticket of this shop's waiting room"),
        OTHER_SHOP("is a ticket of another shop"),
        OTHER_CART("is a ticket for another cart"),
        EXPIRED("has expired: check out again to join the queue");

        public final String message;

        Refusal(String message) {
            this.message = message;
        }
    }

    /** A verified ticket, or why it was refused. */
    public record Checked(Optional<Ticket> ticket, Optional<Refusal> refusal) {
        static Checked ok(Ticket ticket) {
            return new Checked(Optional.of(ticket), Optional.empty());
        }

        static Checked refused(Refusal refusal) {
            return new Checked(Optional.empty(), Optional.of(refusal));
        }
    }

    private Tickets() {}

    public static String issue(String key, Ticket ticket) {
        StringBuilder items = new StringBuilder();
        for (UUID item : ticket.items()) {
            items.append(items.isEmpty() ? "" : "_").append(item);
        }
        String payload = VERSION + "." + ticket.shop() + "." + ticket.cart() + "." + ticket.number() + "."
                + ticket.issuedAt().getEpochSecond() + "." + items;
        return payload + "." + Secrets.hmac(key, payload);
    }

    /**
     * Checks a ticket presented for {@code shop} and, when {@code cart} is given, for that cart: signature first (a
     * forged ticket tells nothing about its content), then shop, cart and age.
     */
    public static Checked check(String key, String value, UUID shop, Optional<UUID> cart, Instant now) {
        if (value == null || value.length() > MAX_LENGTH) {
            return Checked.refused(Refusal.MALFORMED);
        }
        String[] parts = value.strip().split("\\.");
        if (parts.length != 7 || !VERSION.equals(parts[0])) {
            return Checked.refused(Refusal.MALFORMED);
        }
        int cut = value.strip().lastIndexOf('.');
        if (!Secrets.sameString(Secrets.hmac(key, value.strip().substring(0, cut)), parts[6])) {
            return Checked.refused(Refusal.FORGED);
        }
        Ticket ticket;
        try {
            List<UUID> items = new ArrayList<>();
            for (String item : parts[5].isEmpty() ? new String[0] : parts[5].split("_")) {
                items.add(UUID.fromString(item));
            }
            ticket = new Ticket(UUID.fromString(parts[1]), UUID.fromString(parts[2]), Long.parseLong(parts[3]),
                    Instant.ofEpochSecond(Long.parseLong(parts[4])), items);
        } catch (IllegalArgumentException e) {
            return Checked.refused(Refusal.MALFORMED);
        }
        if (!ticket.shop().equals(shop)) {
            return Checked.refused(Refusal.OTHER_SHOP);
        }
        if (cart.isPresent() && !ticket.cart().equals(cart.get())) {
            return Checked.refused(Refusal.OTHER_CART);
        }
        if (ticket.issuedAt().plus(LIFETIME).isBefore(now)) {
            return Checked.refused(Refusal.EXPIRED);
        }
        return Checked.ok(ticket);
    }
}
