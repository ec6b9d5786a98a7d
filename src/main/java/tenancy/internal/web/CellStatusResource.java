package tenancy.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;
import platform.StorefrontConfig;
import tenancy.internal.CellTenantRepository;

/** What this cell is and how many shops it serves: for operators and the control plane. */
@Path("/api/tenancy/cell")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@Tag(name = "Cell")
public class CellStatusResource {

    /** The cell's identity and size. */
    public record CellStatus(String cellId, String baseUrl, long tenants) {}

    @Inject StorefrontConfig config;
    @Inject CellTenantRepository tenants;

    @GET
    @Operation(summary = "This cell's id, base URL and number of tenants")
    public CellStatus status() {
        return new CellStatus(config.cell().value(), config.publicUrl(), tenants.countServed());
    }
}
