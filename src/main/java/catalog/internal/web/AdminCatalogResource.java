package catalog.internal.web;

import catalog.internal.AdminCatalog;
import catalog.AdminViews.AdminCollection;
import catalog.AdminViews.AdminProduct;
import catalog.AdminViews.AdminProductPage;
import catalog.AdminViews.CollectionInput;
import catalog.AdminViews.InventoryAdjustment;
import catalog.AdminViews.ProductInput;
import catalog.AdminViews.ProductUpdate;
import catalog.AdminViews.StockLevel;
import catalog.AdminViews.VariantInput;
import catalog.AdminViews.VariantUpdate;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

/** Merchant admin API of the catalogue: products, variants, stock and collections of the signed-in staff member's shop. */
@Path("/api/admin")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@StaffOnly
@Tag(name = "Admin: catalogue")
@SecurityRequirement(name = "staff")
@APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
@APIResponse(responseCode = "401", description = "No valid staff token of this shop")
@APIResponse(responseCode = "404", description = "Unknown shop, or no such item in this shop")
public class AdminCatalogResource {

    @Inject AdminCatalog catalog;

    @GET
    @Path("/products")
    @Traffic(TrafficClass.REPORT)
    @Operation(summary = "Products of the shop, by handle, a page at a time; q: a text their title or description contains")
    public AdminProductPage list(@QueryParam("after") @Size(max = 400) String after,
                                 @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
                                 @QueryParam("q") @Size(max = 100) String q) {
        return catalog.list(Optional.ofNullable(after), limit,
                Optional.ofNullable(q).map(String::strip).filter(s -> !s.isEmpty()));
    }

    @POST
    @Path("/products")
    @Operation(summary = "Create a product with its variants and stock")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "Handle or SKU already used")
    public Response create(@Valid @NotNull ProductInput input) {
        AdminProduct product = catalog.create(input);
        return Response.created(URI.create("/api/admin/products/" + product.id())).entity(product).build();
    }

    @GET
    @Path("/products/{id}")
    @Operation(summary = "One product")
    public AdminProduct get(@PathParam("id") UUID id) {
        return catalog.get(id).orElseThrow(() -> notFound("product", id));
    }

    @PUT
    @Path("/products/{id}")
    @Operation(summary = "Change a product")
    @APIResponse(responseCode = "409", description = "Handle already used")
    public AdminProduct update(@PathParam("id") UUID id, @Valid @NotNull ProductUpdate update) {
        return catalog.update(id, update).orElseThrow(() -> notFound("product", id));
    }

    @DELETE
    @Path("/products/{id}")
    @Operation(summary = "Delete a product with its variants and stock")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@PathParam("id") UUID id) {
        if (!catalog.delete(id)) {
            throw notFound("product", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/products/{id}/variants")
    @Operation(summary = "Add a variant to a product")
    @APIResponse(responseCode = "201", description = "Added")
    @APIResponse(responseCode = "409", description = "SKU already used")
    public Response addVariant(@PathParam("id") UUID id, @Valid @NotNull VariantInput input) {
        AdminProduct product = catalog.addVariant(id, input).orElseThrow(() -> notFound("product", id));
        return Response.status(201).entity(product).build();
    }

    @PUT
    @Path("/variants/{id}")
    @Operation(summary = "Change a variant's title, price, currency or options")
    public AdminProduct updateVariant(@PathParam("id") UUID id, @Valid @NotNull VariantUpdate update) {
        return catalog.updateVariant(id, update).orElseThrow(() -> notFound("variant", id));
    }

    @DELETE
    @Path("/variants/{id}")
    @Operation(summary = "Delete a variant (a product keeps at least one)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", description = "The product's last variant")
    public Response deleteVariant(@PathParam("id") UUID id) {
        if (!catalog.deleteVariant(id)) {
            throw notFound("variant", id);
        }
        return Response.noContent().build();
    }

    @POST
    @Path("/variants/{id}/inventory-adjustments")
    @Operation(summary = "Add or remove stock of a variant")
    @APIResponse(responseCode = "409", description = "Stock would go below zero")
    public StockLevel adjust(@PathParam("id") UUID id, @Valid @NotNull InventoryAdjustment adjustment) {
        return catalog.adjustInventory(id, adjustment).orElseThrow(() -> notFound("variant", id));
    }

    @GET
    @Path("/collections")
    @Operation(summary = "Collections of the shop")
    public List<AdminCollection> collections() {
        return catalog.collections();
    }

    @POST
    @Path("/collections")
    @Operation(summary = "Create a collection")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "Handle already used")
    public Response createCollection(@Valid @NotNull CollectionInput input) {
        return Response.status(201).entity(catalog.createCollection(input)).build();
    }

    static ProblemException notFound(String what, UUID id) {
        return ProblemException.notFound("This shop has no " + what + " " + id + ".");
    }
}
