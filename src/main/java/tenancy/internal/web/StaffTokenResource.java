package tenancy.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.internal.StaffSession;

/** Staff of a shop exchange their email and password for an admin API token. */
@Path("/api/admin/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@Tag(name = "Admin: sign-in")
public class StaffTokenResource {

    /** Credentials of a staff account of the shop named by the host. */
    public record TokenRequest(@NotBlank @Email @Size(max = 254) String email,
                               @NotBlank @Size(max = 200) String password,
                               @Size(max = 100) String name) {}

    /** A new API token; it is shown only once. */
    public record TokenIssued(String token, String tokenType, long expiresInSeconds) {}

    static final Duration VALIDITY = Duration.ofDays(30);

    @Inject StaffSession session;

    @POST
    @Operation(summary = "Sign in with email and password and get an admin API token")
    @APIResponse(responseCode = "201", description = "Token issued")
    @APIResponse(responseCode = "400", description = "Invalid field")
    @APIResponse(responseCode = "401", description = "Wrong email or password (the same answer for an unknown email)")
    @APIResponse(responseCode = "404", description = "Unknown shop")
    @APIResponse(responseCode = "429", description = "Too many sign-in attempts from this address, or at this account"
            + " from this address; Retry-After says when to try again")
    @APIResponse(responseCode = "503", description = "Too many password checks at once on this node; Retry-After")
    @RunOnVirtualThread // a sign-in waits (a password check, or as long as one): never on a worker thread
    public Response issue(@Valid @NotNull TokenRequest request) {
        StaffSession.SignIn result = session.signIn(request.email(), request.password());
        return switch (result.outcome()) {
            case OK -> Response.status(201).entity(new TokenIssued(
                    session.issueToken(request.name() == null ? "api" : request.name(), VALIDITY), "Bearer",
                    VALIDITY.toSeconds())).build();
            case REJECTED -> throw new ProblemException(Problem.of(401, "Unauthorized", "Wrong email or password."));
            case THROTTLED -> throw new ProblemException(Problem.of(429, "Too many sign-in attempts",
                    "Too many sign-in attempts from your address; try again after the time in Retry-After."),
                    result.retryAfter());
        };
    }
}
