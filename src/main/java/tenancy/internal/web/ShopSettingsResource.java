package tenancy.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.ShopSettings;
import tenancy.StaffOnly;

/** Merchant admin API of the shop's settings. */
@Path("/api/admin/settings")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: settings")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
public class ShopSettingsResource {

    /** The shop's settings. */
    public record SettingsView(String timeZone) {}

    /** New settings. */
    public record SettingsInput(@NotNull @Size(max = 64) String timeZone) {}

    @Inject ShopSettings settings;

    @GET
    @Operation(summary = "The shop's settings (time zone: an IANA id, UTC unless set)")
    public SettingsView get() {
        return new SettingsView(settings.current().timeZone().getId());
    }

    @PUT
    @Operation(summary = "Change the shop's settings; the dashboard's \"today\" is the shop's local day")
    @APIResponse(responseCode = "400", description = "Unknown time zone (the problem names the field timeZone)")
    public SettingsView update(@Valid @NotNull SettingsInput input) {
        return new SettingsView(settings.setTimeZone(input.timeZone()).timeZone().getId());
    }
}
