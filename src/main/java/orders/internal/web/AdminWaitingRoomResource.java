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
import orders.internal.OrderViews.WaitingRoomView;
import orders.internal.waitingroom.RoomSettings;
import orders.internal.waitingroom.RoomSettings.Room;
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
 * The shop's waiting room for checkouts, which the merchant turns on ahead of a sale: while it is on, checkouts are
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

    @Inject RoomSettings settings;

    @GET
    @Operation(summary = "Whether checkouts go through the waiting room, and how many it admits per second")
    public WaitingRoomView get() {
        Room room = settings.read();
        return new WaitingRoomView(room.enabled(), room.admitPerSecond());
    }

    @PUT
    @Operation(summary = "Turn the waiting room on or off, and set how many checkouts it admits per second (1-10000)")
    @APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
    public WaitingRoomView put(@Valid @NotNull WaitingRoomView room) {
        Room saved = settings.save(new Room(room.enabled(), room.admitPerSecond()));
        return new WaitingRoomView(saved.enabled(), saved.admitPerSecond());
    }
}
