package orders.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.UUID;
import orders.MerchantOrders;
import orders.MerchantOrders.MerchantOrder;
import orders.MerchantOrders.OrderPage;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffOnly;

/** Merchant admin API of orders: list, detail, and the status changes (pay, fulfil, cancel with restock, refund). */
@Path("/api/admin/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: orders")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
@APIResponse(responseCode = "404", description = "Unknown shop, or no such order in this shop")
public class AdminOrdersResource {

    @Inject MerchantOrders orders;

    @GET
    @Traffic(TrafficClass.REPORT)
    @Operation(summary = "Orders, newest first, a page at a time")
    @APIResponse(responseCode = "400", description = "Invalid parameter")
    public OrderPage list(@QueryParam("status") @Pattern(regexp = "placed|paid|fulfilled|cancelled|refunded",
                                  message = "must be placed, paid, fulfilled, cancelled or refunded") String status,
                          @QueryParam("email") @Size(max = 254) String email,
                          @QueryParam("before") @Size(max = 100) String before,
                          @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        return orders.list(Optional.ofNullable(status), Optional.ofNullable(email).filter(e -> !e.isBlank()),
                Optional.ofNullable(before), limit);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One order with its lines")
    public MerchantOrder get(@PathParam("id") UUID id) {
        return orders.get(id).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/pay")
    @Operation(summary = "Record that an order was paid")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public MerchantOrder pay(@PathParam("id") UUID id) {
        return move(id, "paid");
    }

    @POST
    @Path("/{id}/fulfil")
    @Operation(summary = "Fulfil an order")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public MerchantOrder fulfil(@PathParam("id") UUID id) {
        return move(id, "fulfilled");
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel an order and put its stock back")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public MerchantOrder cancel(@PathParam("id") UUID id) {
        return move(id, "cancelled");
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "Refund a paid or fulfilled order")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public MerchantOrder refund(@PathParam("id") UUID id) {
        return move(id, "refunded");
    }

    private MerchantOrder move(UUID id, String next) {
        return orders.transition(id, next).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("This shop has no order " + id + ".");
    }
}
