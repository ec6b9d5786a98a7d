package controlplane.internal.web;

import controlplane.internal.Cell;
import controlplane.internal.CellRepository;
import controlplane.internal.TenantRegistry;
import io.quarkus.panache.common.Sort;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.CellId;
import platform.ProblemException;
import platform.RoleGate;
import platform.StorefrontConfig;
import tenancy.CellSaturation;

/** Operator API of the fleet: register cells and see their health and load. */
@Path("/api/controlplane/cells")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, MediaType.WILDCARD})
@EndpointDisabled(name = RoleGate.SERVES_CONTROL, stringValue = "false")
@OperatorOnly
@Tag(name = "Cells")
@SecurityRequirement(name = "operator")
@APIResponse(responseCode = "401", description = "No operator credential")
@APIResponse(responseCode = "403", description = "Wrong operator credential")
public class CellResource {

    /** A cell to register. */
    public record RegisterCell(
            @NotNull @Pattern(regexp = CellId.PATTERN, message = CellId.RULE) String id,
            @NotNull @Size(max = 2048) @Pattern(regexp = "https?://[^\\s/?#]+(:[0-9]{1,5})?/?", message = "must be an http(s) URL with host and optional port") String baseUrl,
            @Min(1) @Max(1_000_000) int capacityTenants,
            @Min(1) @Max(1_000_000_000) int capacityLoad,
            Boolean dedicated) {}

    /** A cell as operators see it; {@code saturation} is null until the cell has reported it. */
    public record CellView(String id, String baseUrl, int capacityTenants, int capacityLoad, boolean dedicated,
                           String state, boolean healthy, long tenants, double expectedLoad, Instant lastHeartbeatAt,
                           long reportedTenants, double reportedRequestRate, double reportedDbUtilisation,
                           CellSaturation saturation) {}

    @Inject CellRepository cells;
    @Inject TenantRegistry tenants;
    @Inject StorefrontConfig config;
    @Inject Clock clock;

    @GET
    @Operation(summary = "List the cells with their health, reported load and saturation")
    public List<CellView> list() {
        Map<String, TenantRegistry.Placed> placed = tenants.placedPerCell();
        return cells.listAll(Sort.by("id")).stream().map(c -> view(c, placed)).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One cell")
    @APIResponse(responseCode = "400", description = "Not a cell id")
    @APIResponse(responseCode = "404", description = "Unknown cell")
    public CellView get(@PathParam("id") @Pattern(regexp = CellId.PATTERN, message = CellId.RULE) String id) {
        return cells.findByIdOptional(id).map(c -> view(c, tenants.placedPerCell()))
                .orElseThrow(() -> ProblemException.notFound("No cell with id " + id + " is registered."));
    }

    @POST
    @Transactional
    @Operation(summary = "Register a cell")
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "400", description = "Invalid field")
    @APIResponse(responseCode = "409", description = "A cell with this id exists")
    public Response register(@Valid @NotNull RegisterCell request) {
        if (cells.findByIdOptional(request.id()).isPresent()) {
            throw ProblemException.conflict("A cell with id " + request.id() + " is already registered.");
        }
        Cell cell = new Cell();
        cell.id = request.id();
        cell.baseUrl = request.baseUrl().replaceAll("/$", "");
        cell.capacityTenants = request.capacityTenants();
        cell.capacityLoad = request.capacityLoad();
        cell.dedicated = Boolean.TRUE.equals(request.dedicated());
        cell.state = "active";
        cell.createdAt = clock.instant();
        cells.persist(cell);
        return Response.created(URI.create("/api/controlplane/cells/" + cell.id)).entity(view(cell, Map.of())).build();
    }

    @POST
    @Path("/{id}/drain")
    @Transactional
    @Operation(summary = "Drain a cell: no new tenant is placed on it (its tenants keep being served)")
    @APIResponse(responseCode = "400", description = "Not a cell id")
    @APIResponse(responseCode = "404", description = "Unknown cell")
    public CellView drain(@PathParam("id") @Pattern(regexp = CellId.PATTERN, message = CellId.RULE) String id) {
        return setState(id, "draining");
    }

    @POST
    @Path("/{id}/undrain")
    @Transactional
    @Operation(summary = "Undrain a cell: placement may use it again")
    @APIResponse(responseCode = "400", description = "Not a cell id")
    @APIResponse(responseCode = "404", description = "Unknown cell")
    public CellView undrain(@PathParam("id") @Pattern(regexp = CellId.PATTERN, message = CellId.RULE) String id) {
        return setState(id, "active");
    }

    private CellView setState(String id, String state) {
        Cell cell = cells.findByIdOptional(id)
                .orElseThrow(() -> ProblemException.notFound("No cell with id " + id + " is registered."));
        cell.state = state;
        return view(cell, tenants.placedPerCell());
    }

    private CellView view(Cell cell, Map<String, TenantRegistry.Placed> placedPerCell) {
        TenantRegistry.Placed placed = placedPerCell.getOrDefault(cell.id, new TenantRegistry.Placed(0, 0));
        return new CellView(cell.id, cell.baseUrl, cell.capacityTenants, cell.capacityLoad, cell.dedicated, cell.state,
                CellRepository.healthy(cell, clock.instant(), config.heartbeatInterval()),
                placed.tenants(), placed.expectedLoad(), cell.lastHeartbeatAt,
                cell.reportedTenants, cell.reportedRequestRate, cell.reportedDbUtilisation, saturation(cell));
    }

    private static CellSaturation saturation(Cell cell) {
        if (cell.reportedBusyWorkers == null) {
            return null;
        }
        return new CellSaturation(cell.reportedBusyWorkers, orZero(cell.reportedMaxWorkers), orZero(cell.reportedDbActive),
                orZero(cell.reportedDbWaiting), cell.reportedCpu == null ? -1 : cell.reportedCpu);
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }
}
