package tenancy.internal.web;

import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import platform.HostNames;
import platform.Problem;
import platform.Secrets;
import platform.SignedTenantHeader;
import platform.StorefrontConfig;
import tenancy.ShopRequest;
import tenancy.StaffOnly;
import tenancy.TenantDirectory;
import tenancy.TenantRef;
import tenancy.internal.ApiToken;
import tenancy.internal.Staff;
import tenancy.internal.StaffSession;
import tenancy.internal.TenantHolder;
import tenancy.internal.load.ShopLoad;
import tenancy.internal.signin.ClientSource;

/**
 * Binds every shop request to its tenant before the resource runs, and authenticates staff on the
 * admin API. The tenant comes from the gateway's signed header when present (an unsigned, forged or
 * stale one is rejected), else from the Host header; either way it must be a tenant this cell serves.
 */
class ShopRequestFilters {

    static final int RESOLVE = jakarta.ws.rs.Priorities.AUTHENTICATION - 100;

    @Inject StorefrontConfig config;
    @Inject TenantDirectory directory;
    @Inject TenantHolder holder;
    @Inject StaffSession staffSession;
    @Inject Clock clock;
    @Inject ClientSource source;
    @Inject ShopLoad load;

    @ServerRequestFilter(priority = RESOLVE)
    @ShopRequest
    Optional<Response> resolveTenant(ContainerRequestContext request, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        Optional<TenantRef> tenant;
        String signed = request.getHeaderString(SignedTenantHeader.NAME);
        if (signed != null) {
            Optional<UUID> verified = SignedTenantHeader.verify(config.tenantHeaderSecret().orElse(null), signed, clock.instant());
            if (verified.isEmpty()) {
                return Optional.of(problem(401, "Unauthorized", "The tenant header is not validly signed.", path));
            }
            tenant = directory.byId(verified.get());
        } else {
            Optional<String> host = HostNames.normalise(request.getHeaderString(HttpHeaders.HOST));
            if (host.isEmpty()) {
                return Optional.of(problem(404, "Unknown shop", "The request names no valid host.", path));
            }
            tenant = directory.byHost(host.get());
            if (tenant.isEmpty()) {
                return Optional.of(problem(404, "Unknown shop", "No shop is served at " + host.get() + ".", path));
            }
        }
        if (tenant.isEmpty() || "removed".equals(tenant.get().status()) || "provisioning".equals(tenant.get().status())) {
            return Optional.of(problem(404, "Unknown shop", "This shop is not served here.", path));
        }
        if (!tenant.get().active()) {
            return Optional.of(problem(403, "Shop unavailable", "This shop is currently suspended.", path));
        }
        holder.bind(tenant.get().id());
        load.requestSeen(tenant.get().id());
        // a gateway's forwarding headers are believed only on a request whose signature verified (see ClientSource)
        source.seen(signed != null, request.getHeaderString("Forwarded"), request.getHeaderString("X-Forwarded-For"),
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress());
        MDC.put("tenant", tenant.get().id().toString());
        return Optional.empty();
    }

    @ServerRequestFilter(priority = RESOLVE + 10)
    @StaffOnly
    Optional<Response> authenticateStaff(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || holder.tenant() == null) {
            return Optional.of(unauthorized(path));
        }
        Optional<Staff> staff = staffSession.authenticate(header.substring(7).trim());
        if (staff.isEmpty()) {
            return Optional.of(unauthorized(path));
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    void clearMdc() {
        MDC.remove("tenant");
    }

    private static Response unauthorized(String path) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"storefront-admin\"")
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(401, "Unauthorized", "A valid staff API token of this shop is required.").withInstance(path))
                .build();
    }

    private static Response problem(int status, String title, String detail, String path) {
        return Response.status(status).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, detail).withInstance(path)).build();
    }
}
