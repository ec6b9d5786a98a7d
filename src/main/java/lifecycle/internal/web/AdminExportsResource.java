package lifecycle.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import lifecycle.internal.export.ExportJobs;
import lifecycle.internal.tables.TenantTable;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffOnly;
import tenancy.StaffPrincipal;
import tenancy.TenantContext;

/**
 * The shop owner's exports of the shop's data: ask for one (it runs in the background: 202, then poll it), see them,
 * and get a download link for a ready one (it works for a short while; a new one replaces it). Only the owner: an
 * export holds every customer and order of the shop. An owner's archive leaves out staff password hashes, API tokens
 * and invitations.
 */
@Path("/api/admin/exports")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: data exports")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
@APIResponse(responseCode = "403", description = "The staff member is not the shop's owner")
public class AdminExportsResource {

    static final String PATH = "/api/admin/exports";

    @Inject ExportJobs jobs;
    @Inject TenantContext tenant;
    @Inject Instance<StaffPrincipal> staff;

    @POST
    @Operation(summary = "Export every record of the shop into one archive (runs in the background)")
    @APIResponse(responseCode = "202", description = "The export runs (or was already running): poll its Location")
    @APIResponse(responseCode = "429", description = "The shop has exported too often today")
    public Response request() {
        StaffPrincipal owner = owner();
        ExportJobs.Job job = jobs.request(tenant.require(), TenantTable.Scope.OWNER, owner.email());
        return Response.accepted(ExportView.of(job)).location(URI.create(PATH + "/" + job.id())).build();
    }

    @GET
    @Operation(summary = "The shop's exports, the latest first")
    public List<ExportView> list() {
        owner();
        return jobs.list(tenant.require(), 20).stream().map(ExportView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One export: its state, and once ready its manifest (tables, rows, checksums)")
    @APIResponse(responseCode = "404", description = "No such export")
    public ExportView get(@PathParam("id") UUID id) {
        owner();
        return jobs.get(tenant.require(), id).map(ExportView::of)
                .orElseThrow(() -> ProblemException.notFound("No export " + id + "."));
    }

    @POST
    @Path("/{id}/link")
    @Operation(summary = "A download link for a ready export, valid for a short while (it replaces the previous one)")
    @APIResponse(responseCode = "404", description = "No such export")
    @APIResponse(responseCode = "409", description = "The export is not ready (running, failed or expired)")
    public LinkView link(@PathParam("id") UUID id) {
        owner();
        UUID shop = tenant.require();
        ExportJobs.Job job = jobs.get(shop, id).orElseThrow(() -> ProblemException.notFound("No export " + id + "."));
        ExportJobs.Link link = jobs.link(shop, id).orElseThrow(() -> ProblemException.conflict(
                "The export is " + job.status() + ": only a ready export can be downloaded."));
        return new LinkView(ExportDownloadResource.PATH + "/" + id + "?token=" + link.token(), link.expiresAt());
    }

    /** A download link: relative to the shop's host; it works until {@code expiresAt}. */
    public record LinkView(String url, java.time.Instant expiresAt) {}

    private StaffPrincipal owner() {
        StaffPrincipal principal = staff.get();
        if (!"owner".equals(principal.role())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "Only the shop's owner may export its data."));
        }
        return principal;
    }
}
