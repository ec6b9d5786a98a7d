package tenancy.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantRef;

/** The shop a storefront request is for. */
@Path("/api/storefront/shop")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.BROWSE)
@Tag(name = "Storefront")
public class ShopResource {

    /** Public facts about a shop. */
    public record ShopView(String handle) {}

    @Inject TenantContext context;
    @Inject TenantDirectory directory;

    @GET
    @Operation(summary = "The shop served at this host")
    @APIResponse(responseCode = "404", description = "No shop is served at this host")
    public ShopView shop() {
        TenantRef tenant = directory.byId(context.require()).orElseThrow();
        return new ShopView(tenant.handle());
    }
}
