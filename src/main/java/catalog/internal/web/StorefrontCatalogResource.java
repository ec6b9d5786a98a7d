package catalog.internal.web;

import catalog.internal.Cursors;
import catalog.internal.StorefrontCatalog;
import catalog.internal.StorefrontViews.CollectionView;
import catalog.internal.StorefrontViews.ProductPage;
import catalog.internal.StorefrontViews.StorefrontProduct;
import catalog.internal.readcache.StorefrontReadCache;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.TenantContext;

/**
 * Public catalogue of the shop at the request's host: products (keyset-paged, by collection, by
 * title), one product by handle, one collection. Served from the node's memory or the cell's Redis
 * when they have them at the shop's current catalogue version, else from PostgreSQL
 * ({@link StorefrontReadCache}); {@code X-Cache: hit|miss} and {@code X-Cache-Tier: near|redis|database}
 * tell which.
 */
@Path("/api/storefront")
@Produces(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.BROWSE)
@Tag(name = "Storefront")
@APIResponse(responseCode = "404", description = "Unknown shop or item")
public class StorefrontCatalogResource {

    static final String HANDLE = "[a-z0-9][a-z0-9-]{0,99}";

    @Inject StorefrontCatalog catalog;
    @Inject StorefrontReadCache cache;
    @Inject TenantContext tenant;
    @Inject ObjectMapper json;

    @GET
    @Path("/products")
    @Operation(summary = "Active products, ordered by handle, a page at a time")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ProductPage.class)))
    @APIResponse(responseCode = "400", description = "Invalid parameter")
    public Response products(@QueryParam("after") @Size(max = 400) String after,
                             @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit,
                             @QueryParam("q") @Size(max = 100) String titleContains,
                             @QueryParam("collection") @Pattern(regexp = HANDLE) String collection) {
        Optional<String> afterKey = Cursors.decode(after, "after");
        Optional<String> q = Optional.ofNullable(titleContains).map(String::strip).filter(s -> !s.isEmpty());
        String entry = "products:" + limit + ":" + afterKey.orElse("") + ":" + collection + ":" + q.orElse("");
        return cached(entry, () -> {
            Optional<UUID> collectionId = Optional.empty();
            if (collection != null) {
                collectionId = Optional.of(catalog.collectionId(collection)
                        .orElseThrow(() -> ProblemException.notFound("No collection " + collection + ".")));
            }
            return catalog.page(afterKey, limit, q, collectionId);
        });
    }

    @GET
    @Path("/products/{handle}")
    @Operation(summary = "One active product by handle, with its variants and stock")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StorefrontProduct.class)))
    public Response product(@PathParam("handle") @Pattern(regexp = HANDLE) String handle) {
        return cached("product:" + handle, () -> catalog.product(handle)
                .orElseThrow(() -> ProblemException.notFound("No product " + handle + ".")));
    }

    @GET
    @Path("/collections/{handle}")
    @Operation(summary = "One collection with the first page of its products")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = CollectionView.class)))
    public Response collection(@PathParam("handle") @Pattern(regexp = HANDLE) String handle,
                               @QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) int limit) {
        return cached("collection:" + handle + ":" + limit, () -> catalog.collection(handle, limit)
                .orElseThrow(() -> ProblemException.notFound("No collection " + handle + ".")));
    }

    private Response cached(String entry, Supplier<Object> load) {
        StorefrontReadCache.Answer answer = cache.read(tenant.require(), entry, () -> {
            try {
                return json.writeValueAsString(load.get());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
        return Response.ok(answer.body(), MediaType.APPLICATION_JSON)
                .header("X-Cache", answer.hit() ? "hit" : "miss")
                .header("X-Cache-Tier", answer.tier().header())
                .build();
    }
}
