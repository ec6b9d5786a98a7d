package controlplane.internal.web;

import controlplane.internal.Domain;
import controlplane.internal.Tenant;
import controlplane.internal.TenantHistory;
import controlplane.internal.TenantRegistry;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.CellId;
import platform.Idempotency;
import platform.ProblemException;
import platform.RoleGate;

/** Operator API of tenants: create (placed and provisioned on a cell), status and history, list, suspend, resume, domains. */
@Path("/api/controlplane/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CONTROL, stringValue = "false")
@OperatorOnly
@Tag(name = "Tenants")
@SecurityRequirement(name = "operator")
@APIResponse(responseCode = "400", description = "Invalid field (named in the problem's errors)")
@APIResponse(responseCode = "401", description = "No operator credential")
@APIResponse(responseCode = "403", description = "Wrong operator credential")
@APIResponse(responseCode = "404", description = "Unknown tenant or domain")
public class TenantResource {

    /** A shop to create. */
    public record CreateTenant(
            @NotNull @Size(max = 63) String handle,
            @NotNull @Pattern(regexp = "basic|pro|enterprise", message = "must be basic, pro or enterprise") String plan,
            @Size(max = 20) List<@NotNull @Size(max = 253) String> domains,
            @NotBlank @Email @Size(max = 254) String ownerEmail,
            @Size(max = 200) String ownerName) {}

    /** Rate limits of a tenant; null fields fall back to the plan's. */
    public record Limits(@Min(1) @Max(1_000_000) Integer requestsPerSecond, @Min(1) @Max(2_000_000) Integer burst) {}

    /** A custom domain to add. */
    public record AddDomain(@NotBlank @Size(max = 253) String host) {}

    /** A host name of a tenant. */
    public record DomainView(String host, String kind, boolean verified, String verificationToken) {}

    /** A tenant as operators see it; {@code ownerPassword} only in the response that created it. */
    public record TenantView(UUID id, String handle, String plan, String status, String statusReason, String cellId,
                             List<DomainView> domains, int requestsPerSecond, int burst, String ownerEmail,
                             Instant createdAt, Instant activatedAt, String ownerPassword) {
        /** This view without the owner's password. */
        public TenantView withoutPassword() {
            return new TenantView(id, handle, plan, status, statusReason, cellId, domains, requestsPerSecond, burst, ownerEmail,
                    createdAt, activatedAt, null);
        }
    }

    /** One step of a tenant's life. */
    public record HistoryView(Instant at, String from, String to, String detail) {}

    /** A page of tenants. */
    public record TenantPage(List<TenantView> items, String next) {}

    @Inject TenantRegistry tenants;
    @Inject Idempotency idempotency;

    @POST
    @Operation(summary = "Create a shop: validate, place it on a cell, provision it there",
            description = "Send an Idempotency-Key header (a request id): the same create again with the same key gets the"
                    + " first answer (same status and body, but without the owner's password; header Idempotent-Replayed: true);"
                    + " the key with another request gets 422, and while the first create is still running 409."
                    + " The tenant is active once its cell acknowledges, usually well within a second.")
    @APIResponse(responseCode = "202", description = "Created (or its replay); provisioning on its cell")
    @APIResponse(responseCode = "409", description = "Handle or domain taken, or a create with this Idempotency-Key in flight")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used with a different request")
    @APIResponse(responseCode = "503", description = "No cell has capacity")
    public Response create(@Valid @NotNull CreateTenant request,
                           @HeaderParam(Idempotency.HEADER) @Pattern(regexp = Idempotency.KEY_PATTERN,
                                   message = Idempotency.KEY_MESSAGE) String requestId) {
        Idempotency.Request bound = new Idempotency.Request(Idempotency.OPERATOR_SCOPE, "POST", "/api/controlplane/tenants",
                requestId, request);
        // the owner's first password is in the first answer only, never stored for replays
        return idempotency.execute(bound, () -> {
            TenantRegistry.Created created = tenants.create(request.handle(), request.plan(),
                    request.domains() == null ? List.of() : request.domains(), request.ownerEmail(), request.ownerName());
            TenantView view = view(created.tenant(), created.ownerPassword());
            return Response.accepted(view).location(URI.create("/api/controlplane/tenants/" + view.id())).build();
        }, answer -> ((TenantView) answer).withoutPassword());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "A tenant's status, cell and domains")
    public TenantView get(@PathParam("id") UUID id) {
        return tenants.get(id).map(t -> view(t, null)).orElseThrow(() -> notFound(id));
    }

    @GET
    @Path("/{id}/history")
    @Operation(summary = "Every step of a tenant's life")
    public List<HistoryView> history(@PathParam("id") UUID id) {
        tenants.get(id).orElseThrow(() -> notFound(id));
        return tenants.history(id).stream().map(h -> new HistoryView(h.at, h.fromStatus, h.toStatus, h.detail)).toList();
    }

    @GET
    @Operation(summary = "Tenants by handle, a page at a time, optionally of one cell or status")
    public TenantPage list(@QueryParam("cell") @Pattern(regexp = CellId.PATTERN, message = CellId.RULE) String cell,
                           @QueryParam("status") @Pattern(regexp = "requested|placing|provisioning|active|failed|suspended|deleting|deleted",
                                   message = "is not a tenant status") String status,
                           @QueryParam("after") @Size(max = 200) String after,
                           @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") @Min(1) @Max(500) int limit) {
        Optional<String> afterHandle = Optional.empty();
        if (after != null && !after.isEmpty()) {
            try {
                afterHandle = Optional.of(new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidCursor("after");
            }
        }
        List<Tenant> found = tenants.list(Optional.ofNullable(cell), Optional.ofNullable(status), afterHandle, limit);
        boolean more = found.size() > limit;
        List<Tenant> page = more ? found.subList(0, limit) : found;
        String next = more ? Base64.getUrlEncoder().withoutPadding()
                .encodeToString(page.get(page.size() - 1).handle.getBytes(StandardCharsets.UTF_8)) : null;
        return new TenantPage(page.stream().map(t -> view(t, null)).toList(), next);
    }

    @POST
    @Path("/{id}/suspend")
    @Operation(summary = "Suspend a shop: gateways stop routing to it")
    @APIResponse(responseCode = "409", description = "Not allowed from the tenant's status")
    public TenantView suspend(@PathParam("id") UUID id) {
        return tenants.setSuspended(id, true).map(t -> view(t, null)).orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/resume")
    @Operation(summary = "Resume a suspended shop")
    @APIResponse(responseCode = "409", description = "Not allowed from the tenant's status")
    public TenantView resume(@PathParam("id") UUID id) {
        return tenants.setSuspended(id, false).map(t -> view(t, null)).orElseThrow(() -> notFound(id));
    }

    @jakarta.ws.rs.PUT
    @Path("/{id}/limits")
    @Operation(summary = "Override a tenant's rate limits (null fields: the plan's); gateways apply them at once")
    public TenantView setLimits(@PathParam("id") UUID id, @Valid @NotNull Limits limits) {
        return tenants.setLimits(id, limits.requestsPerSecond(), limits.burst()).map(t -> view(t, null))
                .orElseThrow(() -> notFound(id));
    }

    @POST
    @Path("/{id}/domains")
    @Operation(summary = "Add a custom domain (routed once verified)")
    @APIResponse(responseCode = "201", description = "Added, unverified")
    @APIResponse(responseCode = "409", description = "The domain belongs to another shop")
    public Response addDomain(@PathParam("id") UUID id, @Valid @NotNull AddDomain request) {
        Domain domain = tenants.addCustomDomain(id, request.host()).orElseThrow(() -> notFound(id));
        return Response.status(201).entity(view(domain)).build();
    }

    @POST
    @Path("/{id}/domains/{host}/verify")
    @Operation(summary = "Mark a custom domain verified: it is routed and served")
    public DomainView verifyDomain(@PathParam("id") UUID id, @PathParam("host") @Size(max = 253) String host) {
        return tenants.verifyDomain(id, host).map(TenantResource::view)
                .orElseThrow(() -> ProblemException.notFound("Tenant " + id + " has no domain " + host + "."));
    }

    @DELETE
    @Path("/{id}/domains/{host}")
    @Operation(summary = "Remove a custom domain")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "409", description = "The platform host cannot be removed")
    public Response removeDomain(@PathParam("id") UUID id, @PathParam("host") @Size(max = 253) String host) {
        if (!tenants.removeDomain(id, host)) {
            throw ProblemException.notFound("Tenant " + id + " has no domain " + host + ".");
        }
        return Response.noContent().build();
    }

    private TenantView view(Tenant t, String ownerPassword) {
        return new TenantView(t.tenantId, t.handle, t.plan, t.status, t.statusReason, t.cellId,
                tenants.domains(t.tenantId).stream().map(TenantResource::view).toList(), t.requestsPerSecond(), t.burst(),
                t.ownerEmail, t.createdAt,
                t.activatedAt, ownerPassword);
    }

    private static DomainView view(Domain d) {
        return new DomainView(d.host, d.kind, d.verified, d.verified ? null : d.verificationToken);
    }

    private static ProblemException notFound(UUID id) {
        return ProblemException.notFound("No tenant " + id + ".");
    }
}
