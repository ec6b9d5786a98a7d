package orders.internal.waitingroom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import orders.internal.waitingroom.Tickets.Refusal;
import orders.internal.waitingroom.Tickets.Ticket;
import org.junit.jupiter.api.Test;

class TicketsTest {

    static final String KEY = "wrk_test-key";
    final UUID shop = UUID.randomUUID();
    final UUID cart = UUID.randomUUID();
    final UUID item = UUID.randomUUID();
    final Instant now = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void aTicketIsReadBackOnItsShopForItsCart() {
        String ticket = Tickets.issue(KEY, new Ticket(shop, cart, 42, now, List.of(item)));
        Tickets.Checked checked = Tickets.check(KEY, ticket, shop, Optional.of(cart), now.plusSeconds(60));
        assertEquals(Optional.of(new Ticket(shop, cart, 42, now, List.of(item))), checked.ticket());
        assertTrue(Tickets.check(KEY, ticket, shop, Optional.empty(), now).ticket().isPresent(), "the status needs no cart");
    }

    @Test
    void aTicketIsRefusedOnAnotherShopForAnotherCartOrWhenTooOld() {
        String ticket = Tickets.issue(KEY, new Ticket(shop, cart, 7, now, List.of()));
        assertEquals(Optional.of(Refusal.OTHER_SHOP), Tickets.check(KEY, ticket, UUID.randomUUID(), Optional.of(cart), now).refusal());
        assertEquals(Optional.of(Refusal.OTHER_CART), Tickets.check(KEY, ticket, shop, Optional.of(UUID.randomUUID()), now).refusal());
        assertEquals(Optional.of(Refusal.EXPIRED),
                Tickets.check(KEY, ticket, shop, Optional.of(cart), now.plus(Tickets.LIFETIME).plus(Duration.ofSeconds(1))).refusal());
    }

    @Test
    void aChangedOrForeignTicketIsForged() {
        String ticket = Tickets.issue(KEY, new Ticket(shop, cart, 7, now, List.of()));
        // an earlier place in the queue, the signature kept
        String earlier = ticket.replace("." + cart + ".7.", "." + cart + ".1.");
        assertEquals(Optional.of(Refusal.FORGED), Tickets.check(KEY, earlier, shop, Optional.of(cart), now).refusal());
        // signed with another cell's key
        String foreign = Tickets.issue("wrk_other", new Ticket(shop, cart, 7, now, List.of()));
        assertEquals(Optional.of(Refusal.FORGED), Tickets.check(KEY, foreign, shop, Optional.of(cart), now).refusal());
        // a ticket of this shop moved to another shop keeps its signature but not its content
        String moved = ticket.replace(shop.toString(), UUID.randomUUID().toString());
        assertEquals(Optional.of(Refusal.FORGED), Tickets.check(KEY, moved, shop, Optional.of(cart), now).refusal());
        // the items it waits for changed (a sold-out answer for other variants)
        String withItems = Tickets.issue(KEY, new Ticket(shop, cart, 7, now, List.of(item)));
        String otherItems = withItems.replace(item.toString(), UUID.randomUUID().toString());
        assertEquals(Optional.of(Refusal.FORGED), Tickets.check(KEY, otherItems, shop, Optional.of(cart), now).refusal());
    }

    @Test
    void aTicketCarriesTheItemsOfASmallCartOnly() {
        List<UUID> eight = java.util.stream.Stream.generate(UUID::randomUUID).limit(Tickets.MAX_ITEMS).toList();
        String full = Tickets.issue(KEY, new Ticket(shop, cart, 1, now, eight));
        assertTrue(full.length() <= Tickets.MAX_LENGTH, full);
        assertEquals(eight, Tickets.check(KEY, full, shop, Optional.of(cart), now).ticket().orElseThrow().items());
        List<UUID> nine = java.util.stream.Stream.generate(UUID::randomUUID).limit(Tickets.MAX_ITEMS + 1).toList();
        String big = Tickets.issue(KEY, new Ticket(shop, cart, 2, now, nine));
        assertEquals(List.of(), Tickets.check(KEY, big, shop, Optional.of(cart), now).ticket().orElseThrow().items(),
                "a bigger cart's ticket carries no items: its cart is read instead");
    }

    @Test
    void garbageIsNotATicket() {
        for (String garbage : new String[] {"", "wr1", "wr1.a.b.c.d.e", "x".repeat(600), "wr3." + shop + "." + cart + ".1.1..sig", "wr2." + shop + "." + cart + ".1.1.not-a-uuid.sig"}) {
            assertTrue(Tickets.check(KEY, garbage, shop, Optional.of(cart), now).refusal().isPresent(), garbage);
        }
        assertEquals(Optional.of(Refusal.MALFORMED), Tickets.check(KEY, null, shop, Optional.of(cart), now).refusal());
    }
}
