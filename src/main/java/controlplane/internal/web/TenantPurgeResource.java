package controlplane.internal.web;

import controlplane.internal.purge.PurgeRecord;
import controlplane.internal.purge.Purges;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.ProblemException;
import platform.RoleGate;

/**
 * Operator API of tenant purges: purge a shop (every record of it on its cell, its cached answers and archives, its
 * routes and domains; the control plane keeps the tenant's id and handle and this audit record, no personal data), and
 * see where a purge is.
 */
@Path("/api/controlplane/tenants/{id}/purge")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CONTROL, stringValue = "false")
@OperatorOnly
@Tag(name = "Tenants")
@SecurityRequirement(name = "operator")
@APIResponse(responseCode = "401", description = "No operator credential")
@APIResponse(responseCode = "403", description = "Wrong operator credential")
@APIResponse(responseCode = "404", description = "Unknown tenant, or no purge asked for")
public class TenantPurgeResource {

    /**
     * A purge as operators see it.
     *
     * @param status      {@code purging} until the tenant's cell has answered, then {@code done}
     * @param deletedRows rows the cell deleted, per table
     * @param durationMs  from the request to the cell's answer
     */
    public record PurgeView(UUID tenantId, String tenantStatus, String cellId, String status, String requestedBy,
                            Instant requestedAt, Instant deadlineAt, Instant finishedAt, Long durationMs,
                            Map<String, Long> deletedRows, Long redisKeys, Long archives) {}

    @Inject Purges purges;

    @POST
    @Operation(summary = "Purge a shop: it stops being served at once, and its cell deletes all of it")
    @APIResponse(responseCode = "202", description = "The purge runs (or was asked for before): poll its Location")
    @APIResponse(responseCode = "200", description = "The shop was purged before: its record")
    @APIResponse(responseCode = "409", description = "The shop is still being placed or provisioned")
    public Response purge(@PathParam("id") UUID id) {
        Purges.Purge purge = purges.request(id, "operator");
        boolean done = "done".equals(purge.record().status);
        return Response.status(done ? 200 : 202).entity(view(purge.tenant().status, purge.record()))
                .location(URI.create("/api/controlplane/tenants/" + id + "/purge")).build();
    }

    @GET
    @Operation(summary = "Where a shop's purge is, and once done what it deleted and how long it took")
    public PurgeView get(@PathParam("id") UUID id) {
        PurgeRecord record = purges.get(id).orElseThrow(() -> ProblemException.notFound("No purge of tenant " + id + " was asked for."));
        return view(purges.status(id), record);
    }

    private static PurgeView view(String tenantStatus, PurgeRecord r) {
        return new PurgeView(r.tenantId, tenantStatus, r.cellId, r.status, r.requestedBy, r.requestedAt, r.deadlineAt,
                r.finishedAt, r.durationMs, r.deletedRows, r.redisKeys, r.archives);
    }
}
