package lifecycle.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.UUID;
import lifecycle.internal.archive.ArchiveStore;
import lifecycle.internal.export.ExportJobs;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.TenantContext;

/**
 * The download of an export's archive by its link: the link's token is the credential (a browser follows it without
 * the staff token), it belongs to one export of one shop, and it works for a short while only.
 */
@Path(ExportDownloadResource.PATH)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@Tag(name = "Admin: data exports")
public class ExportDownloadResource {

    static final String PATH = lifecycle.internal.export.ShopExportsImpl.DOWNLOAD_PATH;

    @Inject ExportJobs jobs;
    @Inject ArchiveStore store;
    @Inject TenantContext tenant;

    @GET
    @Path("/{id}")
    @Produces("application/zip")
    @Operation(summary = "The archive of a ready export (with the token of its download link)")
    @APIResponse(responseCode = "404", description = "No such export, or not this link's")
    @APIResponse(responseCode = "410", description = "The link has expired: ask for a new one")
    public Response download(@PathParam("id") UUID id,
                             @QueryParam("token") @NotNull @Pattern(regexp = "sfx_[A-Za-z0-9_-]{1,64}") String token) {
        ExportJobs.Download found = jobs.download(tenant.require(), id, token);
        if (found.expired()) {
            throw new ProblemException(Problem.of(410, "Gone", "This download link has expired: ask for a new one."));
        }
        String key = found.archiveKey().orElseThrow(() -> ProblemException.notFound("No export " + id + " for this link."));
        InputStream archive;
        long size;
        try {
            archive = store.open(key).orElseThrow(() -> ProblemException.notFound("The archive of export " + id + " is gone."));
            size = store.size(key).orElse(-1L);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StreamingOutput body = out -> {
            try (InputStream in = archive) {
                in.transferTo(out);
            }
        };
        Response.ResponseBuilder response = Response.ok(body, "application/zip")
                .header("Content-Disposition", "attachment; filename=\"export-" + id + ".zip\"")
                .header("Cache-Control", "no-store");
        if (size >= 0) {
            response.header("Content-Length", size);
        }
        return response.build();
    }
}
