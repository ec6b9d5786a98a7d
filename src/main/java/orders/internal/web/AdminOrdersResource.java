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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import orders.internal.Checkout;
import orders.internal.Order;
import orders.internal.OrderViews.OrderPage;
import orders.internal.OrderViews.OrderView;
import orders.internal.Orders;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.ProblemException;
import platform.RoleGate;
import tenancy.ShopRequest;
import tenancy.StaffOnly;

/** Merchant admin API of orders: list, detail, and the status changes (pay, fulfil, cancel with restock, refund). */
@Path("/api/admin/orders")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.WILDCARD)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@StaffOnly
@Tag(name = "Admin: orders")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
@APIResponse(responseCode = "404", description = "Unknown shop, or no such order in this shop")
public class AdminOrdersResource {

    @Inject Orders orders;

    @GET
    @Operation(summary = "Orders, newest first, a page at a time")
    @APIResponse(responseCode = "400", description = "Invalid parameter")
    public OrderPage list(@QueryParam("status") @Pattern(regexp = "placed|paid|fulfilled|cancelled|refunded",
                                  message = "must be placed, paid, fulfilled, cancelled or refunded") String status,
                          @QueryParam("before") @Size(max = 100) String before,
                          @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        Optional<Instant> beforeTime = Optional.empty();
        Optional<UUID> beforeId = Optional.empty();
        if (before != null) {
            String[] parts = before.split("_", 2);
            try {
                long micros = Long.parseLong(parts[0], 36);
                beforeTime = Optional.of(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000));
                beforeId = Optional.of(UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw ProblemException.invalidCursor("before");
            }
        }
        List<Checkout.Result> found = orders.list(Optional.ofNullable(status), beforeTime, beforeId, limit);
        boolean more = found.size() > limit;
        List<Checkout.Result> page = more ? found.subList(0, limit) : found;
        List<OrderView> items = page.stream().map(r -> OrderMapping.view(r, false)).toList();
        String next = null;
        if (more) {
            Order last = page.get(page.size() - 1).order();
            long micros = last.createdAt.getEpochSecond() * 1_000_000 + last.createdAt.getNano() / 1000;
            next = Long.toString(micros, 36) + "_" + last.orderId;
        }
        return new OrderPage(items, next);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One order with its lines")
    public OrderView get(@PathParam("id") UUID id) {
        return orders.get(id).map(r -> OrderMapping.view(r, false)).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/pay")
    @Operation(summary = "Record that an order was paid")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public OrderView pay(@PathParam("id") UUID id) {
        return move(id, "paid", null);
    }

    @POST
    @Path("/{id}/fulfil")
    @Operation(summary = "Fulfil an order")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public OrderView fulfil(@PathParam("id") UUID id) {
        return move(id, "fulfilled", null);
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Cancel an order and put its stock back")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public OrderView cancel(@PathParam("id") UUID id) {
        return move(id, "cancelled", "cancelled by the merchant");
    }

    @POST
    @Path("/{id}/refund")
    @Operation(summary = "Refund a paid or fulfilled order")
    @APIResponse(responseCode = "409", description = "Not allowed from the order's status")
    public OrderView refund(@PathParam("id") UUID id) {
        return move(id, "refunded", null);
    }

    private OrderView move(UUID id, String next, String reason) {
        return orders.transition(id, next, reason).map(r -> OrderMapping.view(r, false)).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("This shop has no order " + id + ".");
    }
}
