package platform.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;

/**
 * The smallest JSON answer a cell gives: no shop, no database, no cache. It measures what the
 * framework and the HTTP stack cost on their own (the ceiling of every storefront endpoint).
 */
@Path("/api/platform/ping")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@Tag(name = "Cell")
public class PingResource {

    /** The answer: always the same. */
    public record Pong(boolean ok) {}

    private static final Pong PONG = new Pong(true);

    @GET
    @Operation(summary = "A constant JSON answer without a shop or a database (framework ceiling)")
    public Pong ping() {
        return PONG;
    }
}
