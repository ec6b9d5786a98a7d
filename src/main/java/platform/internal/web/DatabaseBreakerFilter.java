package platform.internal.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import platform.internal.db.DatabaseBreaker;

/**
 * While the node's database breaker is open, answers every request that would need the database
 * with 503 and Retry-After at once, before tenant resolution or credentials touch the connection
 * pool (the node's own endpoints under {@code /api/platform} need no database and stay served).
 */
class DatabaseBreakerFilter {

    @Inject DatabaseBreaker breaker;

    @ServerRequestFilter(preMatching = true, priority = ParameterGuard.PRIORITY + 1)
    Optional<Response> refuseWhileTheDatabaseIsUnreachable(ContainerRequestContext request) {
        if (!breaker.isOpen()) {
            return Optional.empty();
        }
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/api/platform/")) {
            return Optional.empty();
        }
        return Optional.of(ProblemMappers.unavailable(request.getUriInfo().getRequestUri().getRawPath()));
    }
}
