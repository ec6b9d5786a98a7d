package admin.internal.web;

import admin.internal.web.Views.ExportRow;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import lifecycle.ShopExports;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;

/**
 * The shop's data export, for its owner: ask for an archive of every record of the shop (made in the background), see
 * the exports, and download a ready one (by a link made on the click, which works for a short while).
 */
@Path("/admin/exports")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class ExportPages {

    @Inject Pages pages;
    @Inject CurrentStaff current;
    @Inject ShopExports exports;

    @GET
    public Response page() {
        requireOwner();
        return page(null);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response request() {
        requireOwner();
        ShopExports.Export started = exports.request(current.principal().email());
        return page("running".equals(started.status())
                ? "The export runs: refresh this page to see when its archive is ready." : "Export " + started.status() + ".");
    }

    /** Makes a download link of a ready export and sends the browser to it. */
    @POST
    @Path("/{id}/download")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response download(@PathParam("id") String id) {
        requireOwner();
        String link = Pages.uuid(id).flatMap(exports::downloadLink)
                .orElseThrow(() -> ProblemException.notFound("No export ready to download under this id."));
        return Response.seeOther(java.net.URI.create(link)).build();
    }

    private Response page(String notice) {
        Page page = pages.page("Data export", "exports");
        if (notice != null) {
            page = page.withNotice(notice);
        }
        List<ExportRow> rows = exports.list(20).stream().map(e -> new ExportRow(e.id().toString(), e.status(),
                OrderPages.WHEN.format(e.createdAt()), e.rows(), e.sizeBytes() == null ? "" : mebibytes(e.sizeBytes()),
                e.expiresAt() == null ? "" : OrderPages.WHEN.format(e.expiresAt()), e.error() == null ? "" : e.error())).toList();
        return pages.html(200, Templates.exports(page, rows));
    }

    private static String mebibytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private void requireOwner() {
        if (!"owner".equals(current.principal().role())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "Only the shop's owner exports its data."));
        }
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }
}
