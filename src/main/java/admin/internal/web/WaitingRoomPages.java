package admin.internal.web;

import admin.internal.web.Views.WaitingRoomPage;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import orders.StockHolds;
import orders.WaitingRooms;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;

/**
 * The shop's waiting room for checkouts: the merchant's sale switch (on now, or on by itself under demand), the
 * admission rate, how long carts hold their stock during a sale, and what the room is doing now (waiting, admitted,
 * sold, sold out).
 */
@Path("/admin/waiting-room")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class WaitingRoomPages {

    @Inject Pages pages;
    @Inject WaitingRooms rooms;
    @Inject StockHolds holds;

    @GET
    public Response page() {
        return page(200, form(rooms.settings()).set("holdSeconds", Integer.toString(holds.holdSeconds())), null);
    }

    /** Saves the room's settings and, when the form has it (the dashboard's switch has not), how long carts hold stock. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@RestForm String enabled, @RestForm String automatic, @RestForm String admitPerSecond,
                         @RestForm String holdSeconds) {
        Form form = new Form().set("enabled", enabled == null ? "" : "on").set("automatic", automatic == null ? "" : "on")
                .set("admitPerSecond", admitPerSecond == null ? "" : admitPerSecond.strip())
                .set("holdSeconds", holdSeconds == null ? Integer.toString(holds.holdSeconds()) : holdSeconds.strip());
        int rate = wholeNumber(form.value("admitPerSecond"));
        if (rate < 1 || rate > WaitingRooms.MAX_ADMIT_PER_SECOND) {
            form.reject("admitPerSecond", "Enter a whole number of checkouts per second from 1 to "
                    + WaitingRooms.MAX_ADMIT_PER_SECOND + ".");
        }
        int hold = wholeNumber(form.value("holdSeconds"));
        if (hold < 0 || hold > StockHolds.MAX_HOLD_SECONDS) {
            form.reject("holdSeconds", "Enter a whole number of seconds from 0 (no holds) to " + StockHolds.MAX_HOLD_SECONDS + ".");
        }
        if (form.hasErrors()) {
            return page(400, form, null);
        }
        WaitingRooms.Settings saved = rooms.save(new WaitingRooms.Settings(enabled != null, automatic != null, rate));
        int held = holdSeconds == null ? hold : holds.save(hold);
        return page(200, form(saved).set("holdSeconds", Integer.toString(held)), (saved.enabled()
                ? "The waiting room is on: checkouts are admitted in the order they come, " + saved.admitPerSecond() + " a second."
                : "Saved. The waiting room is off" + (saved.automatic() ? "; it turns itself on when more than "
                        + saved.admitPerSecond() + " checkouts come within a second." : "."))
                + (held > 0 ? " Carts hold their stock for " + held + " s after their last change." : ""));
    }

    /** The number a field holds, or -1 when it is not a whole number. */
    private static int wholeNumber(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Response page(int status, Form form, String notice) {
        Page page = pages.page("Waiting room", "waiting-room");
        if (notice != null) {
            page = page.withNotice(notice);
        }
        return pages.html(status, Templates.waitingRoom(page, view(rooms, form)));
    }

    /** The room's page: the form as given, and the room now. */
    static WaitingRoomPage view(WaitingRooms rooms, Form form) {
        WaitingRooms.Figures f = rooms.figures();
        return new WaitingRoomPage(form, switch (f.on()) {
            case MERCHANT -> "On (turned on by you)";
            case DEMAND -> "On (turned itself on: checkouts came faster than it admits them)";
            case OFF -> "Off";
        }, f.waiting(), f.admitted(), f.sold(), f.soldOut(), f.live());
    }

    /** The room's settings as a form. */
    static Form form(WaitingRooms.Settings settings) {
        return new Form().set("enabled", settings.enabled() ? "on" : "").set("automatic", settings.automatic() ? "on" : "")
                .set("admitPerSecond", Integer.toString(settings.admitPerSecond()));
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }
}
