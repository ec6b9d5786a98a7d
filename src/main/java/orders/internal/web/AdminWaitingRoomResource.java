package orders.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import orders.WaitingRooms;
import orders.internal.OrderViews.WaitingRoomState;
import orders.internal.OrderViews.WaitingRoomView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffOnly;

/**
 * The shop's waiting room for checkouts, which the merchant turns on ahead of a sale, and which turns itself on when
 * more checkouts come within a second than it admits (unless the merchant says not to): while it is on, checkouts are
 * admitted in arrival order at {@code admitPerSecond}; the others get a queue ticket (202) and come back when their
 * turn has come.
 */
@Path("/api/admin/waiting-room")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: waiting room")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
public class AdminWaitingRoomResource {

    @Inject WaitingRooms rooms;

    @GET
    @Operation(summary = "The waiting room's settings, whether it is on now and why, and its figures")
    public WaitingRoomState get() {
        return state(rooms.settings());
    }

    @PUT
    @Operation(summary = "Turn the waiting room on or off, let it turn itself on under demand or not, and set how many"
            + " checkouts it admits per second (1-10000)")
    @APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
    public WaitingRoomState put(@Valid @NotNull WaitingRoomView room) {
        boolean automatic = room.automatic() != null ? room.automatic() : rooms.settings().automatic();
        return state(rooms.save(new WaitingRooms.Settings(room.enabled(), automatic, room.admitPerSecond())));
    }

    private WaitingRoomState state(WaitingRooms.Settings settings) {
        WaitingRooms.Figures f = rooms.figures();
        return new WaitingRoomState(settings.enabled(), settings.automatic(), settings.admitPerSecond(),
                f.on().name().toLowerCase(java.util.Locale.ROOT), f.waiting(), f.issued(), f.admitted(), f.sold(), f.soldOut(), f.live());
    }
}
