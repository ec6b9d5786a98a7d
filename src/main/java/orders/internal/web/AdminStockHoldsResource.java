package orders.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import orders.StockHolds;
import orders.internal.OrderViews.StockHoldsView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffOnly;

/**
 * The shop's stock holds, which a merchant turns on for a sale: while {@code holdSeconds} is above zero, what a shopper
 * adds to a cart is taken out of sale until that long after the cart's last change (adding more than is left is
 * refused with 409), and lapsed holds return to stock by themselves.
 */
@Path("/api/admin/stock-holds")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: stock holds")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
public class AdminStockHoldsResource {

    @Inject StockHolds holds;

    @GET
    @Operation(summary = "How long carts hold the stock of their lines (0: holds off)")
    public StockHoldsView get() {
        return new StockHoldsView(holds.holdSeconds());
    }

    @PUT
    @Operation(summary = "Set how long carts hold the stock of their lines after their last change (0-3600 seconds; 0 turns holds off)")
    @APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
    public StockHoldsView put(@Valid @NotNull StockHoldsView view) {
        return new StockHoldsView(holds.save(view.holdSeconds()));
    }
}
