package controlplane.internal.web;

import controlplane.internal.hot.HotTenants;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;

/** Operator API: the hot shops of the fleet, and which of them are candidates for a move to another cell. */
@Path("/api/controlplane/hot-tenants")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CONTROL, stringValue = "false")
@OperatorOnly
@Tag(name = "Cells")
@SecurityRequirement(name = "operator")
@APIResponse(responseCode = "401", description = "No operator credential")
@APIResponse(responseCode = "403", description = "Wrong operator credential")
public class HotTenantResource {

    /**
     * The hot shops and the settings they were judged by.
     *
     * @param share         a shop is hot at or above this share of its cell's load (0..1)
     * @param windowSeconds ... and a move candidate once it has stayed hot this long
     * @param cellShare     a cell whose candidates take this part of it or more gets no new shop (0..1)
     * @param tenants       move candidates first, then by share
     * @param cells         per cell with candidates: the part of it they take, and whether placement avoids it
     */
    public record HotTenantsView(double share, long windowSeconds, double cellShare, List<HotTenants.HotTenant> tenants,
                                 Map<String, CellHeat> cells) {}

    /** A cell's move candidates together: their share of it, and whether it takes no new shop because of them. */
    public record CellHeat(double candidateShare, boolean crowded) {}

    @Inject HotTenants hotTenants;

    @GET
    @Operation(summary = "List the hot shops: those whose share of their cell's load is at or above the threshold,"
            + " with their figures; those hot for the whole window are move candidates")
    public HotTenantsView list() {
        HotTenants.Listing listing = hotTenants.list();
        Map<String, CellHeat> cells = new TreeMap<>();
        listing.candidateShareByCell().forEach((cell, share) ->
                cells.put(cell, new CellHeat(Math.round(share * 1000) / 1000.0, !hotTenants.takesNewShops(share))));
        Duration window = listing.window();
        return new HotTenantsView(listing.share(), window.toSeconds(), listing.cellShare(), listing.tenants(), cells);
    }
}
