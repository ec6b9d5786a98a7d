package orders.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import orders.internal.Carts;
import orders.internal.Checkout;
import orders.internal.OrderViews.CartLineView;
import orders.internal.OrderViews.CartView;
import orders.internal.OrderViews.CheckoutInput;
import orders.internal.OrderViews.LineInput;
import orders.internal.OrderViews.OrderView;
import orders.internal.OrderViews.QuantityInput;
import orders.internal.OrderViews.QueueView;
import orders.internal.Orders;
import orders.internal.waitingroom.Tickets;
import orders.internal.waitingroom.WaitingRoom;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.Idempotency;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.TenantContext;

/**
 * Shoppers' carts, checkout and order status on the shop at the request's host. Traffic classes:
 * carts {@code CART}, checkouts {@code CHECKOUT} (capacity reserved, the last refused under load),
 * order status {@code BROWSE}.
 */
@Path("/api/storefront")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.CART)
@Tag(name = "Storefront")
@APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
@APIResponse(responseCode = "404", description = "Unknown shop, cart or order")
public class StorefrontOrdersResource {

    @Inject Carts carts;
    @Inject Checkout checkout;
    @Inject Orders orders;
    @Inject Idempotency idempotency;
    @Inject TenantContext tenant;
    @Inject WaitingRoom waitingRoom;

    @POST
    @Path("/carts")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Start an empty cart")
    @APIResponse(responseCode = "201", description = "Created")
    public Response createCart() {
        CartView cart = carts.create();
        return Response.created(URI.create("/api/storefront/carts/" + cart.id())).entity(cart).build();
    }

    @GET
    @Path("/carts/{cartId}")
    @Operation(summary = "A cart, priced now")
    public CartView cart(@PathParam("cartId") UUID cartId) {
        return carts.get(cartId).orElseThrow(() -> noCart(cartId));
    }

    @POST
    @Path("/carts/{cartId}/lines")
    @Operation(summary = "Add a variant to a cart (quantities of the same variant add up)")
    public CartView add(@PathParam("cartId") UUID cartId, @Valid @NotNull LineInput line) {
        return mirrored(carts.add(cartId, line.variantId(), line.quantity()).orElseThrow(() -> noCart(cartId)));
    }

    @PUT
    @Path("/carts/{cartId}/lines/{variantId}")
    @Operation(summary = "Change the quantity of a cart line")
    public CartView update(@PathParam("cartId") UUID cartId, @PathParam("variantId") UUID variantId,
                           @Valid @NotNull QuantityInput quantity) {
        return mirrored(carts.setQuantity(cartId, variantId, quantity.quantity()).orElseThrow(() -> noCart(cartId)));
    }

    @DELETE
    @Path("/carts/{cartId}/lines/{variantId}")
    @Operation(summary = "Remove a line from a cart")
    public CartView remove(@PathParam("cartId") UUID cartId, @PathParam("variantId") UUID variantId) {
        return mirrored(carts.remove(cartId, variantId).orElseThrow(() -> noCart(cartId)));
    }

    @POST
    @Path("/checkouts")
    @Traffic(TrafficClass.CHECKOUT)
    @Operation(summary = "Check out a cart: reserve stock and place the order",
            description = "Send an Idempotency-Key header to make retries safe: the same checkout again with the same key"
                    + " gets the first answer (same status and body, header Idempotent-Replayed: true); the key with another"
                    + " request gets 422, and while the first request is still running 409.")
    @APIResponse(responseCode = "201", description = "Order placed (or its replay); the response carries the order's status token")
    @APIResponse(responseCode = "409", description = "Out of stock, sold out (a waiting room tells it at once), empty cart, a line no longer on sale, or a request with this Idempotency-Key in flight")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
    @APIResponse(responseCode = "202", description = "The shop's waiting room is on and the checkout's turn has not come:"
            + " the body carries a queue ticket, its place and the expected wait; check out again with the ticket in the"
            + " Queue-Ticket header after Retry-After (Location: where to ask how the ticket stands)")
    @APIResponse(responseCode = "503", description = "The waiting room cannot take shoppers right now (Retry-After)")
    public Response checkout(@Valid @NotNull CheckoutInput input,
                             @Parameter(description = "1-100 printable ASCII characters")
                             @HeaderParam(Idempotency.HEADER) @Pattern(regexp = Idempotency.KEY_PATTERN,
                                     message = Idempotency.KEY_MESSAGE) String idempotencyKey,
                             @Parameter(description = "The ticket of a checkout that waited in the shop's waiting room")
                             @HeaderParam(WaitingRoom.HEADER) @Size(max = Tickets.MAX_LENGTH) String ticket) {
        // before the idempotency key: a waiting checkout is not an answer to store, its retry must find its turn
        WaitingRoom.Decision decision = waitingRoom.enter(input.cartId(), Optional.ofNullable(ticket));
        if (decision instanceof WaitingRoom.Wait wait) {
            return Response.accepted(new QueueView("waiting", wait.ticket(), wait.position(), wait.expectedWait().toSeconds()))
                    .location(WaitingRoom.STATUS)
                    .header("Retry-After", ProblemException.retryAfterSeconds(wait.retryAfter())).build();
        }
        boolean throughRoom = decision instanceof WaitingRoom.Proceed proceed && proceed.throughRoom();
        Idempotency.Request request = new Idempotency.Request(tenant.require().toString(), "POST", "/api/storefront/checkouts",
                idempotencyKey, input);
        return idempotency.execute(request, () -> {
            OrderView view = OrderMapping.view(checkout.checkout(input), true);
            if (throughRoom) {
                waitingRoom.placed();
            }
            return Response.created(URI.create("/api/storefront/orders/" + view.id())).entity(view).build();
        });
    }

    @GET
    @Path("/queue")
    @Traffic(TrafficClass.BROWSE)
    @Operation(summary = "Where a waiting-room ticket stands: waiting (with its place and Retry-After), admitted, or sold_out"
            + " (every item of its cart is gone: no need to wait)")
    @APIResponse(responseCode = "400", description = "No ticket, or not a ticket of this shop (the problem names Queue-Ticket)")
    public Response queue(@HeaderParam(WaitingRoom.HEADER) @Size(max = Tickets.MAX_LENGTH) String ticket) {
        if (ticket == null || ticket.isBlank()) {
            throw ProblemException.invalidField(WaitingRoom.HEADER, "is required: the ticket the checkout was answered with");
        }
        WaitingRoom.Status status = waitingRoom.status(ticket);
        QueueView view = new QueueView(status.admitted() ? "admitted" : status.soldOut() ? "sold_out" : "waiting", ticket.strip(),
                status.position(), status.expectedWait().toSeconds());
        Response.ResponseBuilder answer = Response.ok(view);
        if (!status.admitted() && !status.soldOut()) {
            answer.header("Retry-After", ProblemException.retryAfterSeconds(status.retryAfter()));
        }
        return answer.build();
    }

    @GET
    @Path("/orders/{orderId}")
    @Traffic(TrafficClass.BROWSE)
    @Operation(summary = "An order's status, for the holder of its status token")
    public OrderView order(@PathParam("orderId") UUID orderId,
                           @HeaderParam("Order-Token") String token,
                           @QueryParam("token") String queryToken) {
        if (queryToken != null) {
            // a token in the URL ends up in access logs, proxies and browser history: never accept it there
            throw ProblemException.invalidField("token",
                    "The order token is accepted only in the Order-Token header, never in the URL.");
        }
        return orders.forShopper(orderId, token).map(r -> OrderMapping.view(r, false))
                .orElseThrow(() -> ProblemException.notFound("No order " + orderId + " with this token."));
    }

    /** A changed cart, told to the shop's waiting room (which mirrors it while it is on). */
    private CartView mirrored(CartView cart) {
        waitingRoom.cartChanged(cart.id(), cart.lines().stream().map(CartLineView::variantId).toList());
        return cart;
    }

    private static ProblemException noCart(UUID cartId) {
        return ProblemException.notFound("This shop has no cart " + cartId + ".");
    }
}
