package orders.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import orders.CustomerRequests;
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

/**
 * A shopper's data requests, as the shop answers them: everything the shop holds about one customer (by email, as a
 * JSON download), and the customer's redaction (the orders stay for the shop's accounts, without the person: their
 * email replaced, the customer's name cleared, the orders' status links changed). Only the shop's owner.
 */
@Path("/api/admin/customers")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: customers' data requests")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
@APIResponse(responseCode = "403", description = "The staff member is not the shop's owner")
public class AdminCustomersResource {

    /** A customer to redact. */
    public record RedactRequest(@NotBlank @Email @Size(max = 254) String email) {}

    @Inject CustomerRequests privacy;
    @Inject Instance<StaffPrincipal> staff;

    @GET
    @Path("/data")
    @Operation(summary = "Everything the shop holds about one customer: the customer record and every order with its lines")
    @APIResponse(responseCode = "400", description = "Invalid email (named in the problem's errors)")
    @APIResponse(responseCode = "404", description = "The shop holds nothing under this email")
    public Response data(@QueryParam("email") @NotBlank @Email @Size(max = 254) String email) {
        owner();
        CustomerRequests.CustomerData data = privacy.data(email)
                .orElseThrow(() -> ProblemException.notFound("The shop holds no customer or order with this email."));
        return Response.ok(data).header("Content-Disposition", "attachment; filename=\"customer-data.json\"")
                .header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/redact")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Redact a customer: orders kept without the person (email replaced, name cleared, status links changed)")
    @APIResponse(responseCode = "400", description = "Invalid email (named in the problem's errors)")
    @APIResponse(responseCode = "404", description = "The shop holds nothing under this email")
    public CustomerRequests.Redaction redact(@Valid @NotNull RedactRequest request) {
        owner();
        return privacy.redact(request.email())
                .orElseThrow(() -> ProblemException.notFound("The shop holds no customer or order with this email."));
    }

    private void owner() {
        if (!"owner".equals(staff.get().role())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "Only the shop's owner answers customers' data requests."));
        }
    }
}
