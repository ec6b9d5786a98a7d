package platform.internal.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import platform.Problem;

/**
 * Refuses, on every role and before any resource or filter runs, a request whose decoded path or
 * query parameters hold a control character (NUL, other C0/C1 codes, DEL) or cannot be decoded: no
 * such value is a valid id, handle, cursor or search term, and PostgreSQL rejects NUL in text with an
 * error that would otherwise surface as a 500. Resources still validate their own parameters.
 */
class ParameterGuard {

    /** Before everything else: before tenant resolution and credential checks, which may query a database. */
    static final int PRIORITY = 10;

    @ServerRequestFilter(preMatching = true, priority = PRIORITY)
    Optional<Response> refuseControlCharacters(ContainerRequestContext request) {
        String rawPath = request.getUriInfo().getRequestUri().getRawPath();
        Optional<String> offending;
        try {
            offending = offendingPart(request.getUriInfo().getPath(), request.getUriInfo().getQueryParameters());
        } catch (IllegalArgumentException undecodable) {
            offending = Optional.of("path");
        }
        return offending.map(field -> ProblemMappers.problem(Problem.invalid(
                "The request's path or query has a control character or cannot be decoded.",
                List.of(new Problem.FieldError(field, "must not contain control characters"))).withInstance(rawPath), null));
    }

    /** "path", or the name of the first query parameter (name or value) with a control character. */
    static Optional<String> offendingPart(String decodedPath, MultivaluedMap<String, String> query) {
        if (hasControlCharacter(decodedPath)) {
            return Optional.of("path");
        }
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            if (hasControlCharacter(parameter.getKey())) {
                return Optional.of("query");
            }
            for (String value : parameter.getValue()) {
                if (hasControlCharacter(value)) {
                    return Optional.of(parameter.getKey());
                }
            }
        }
        return Optional.empty();
    }

    static boolean hasControlCharacter(String value) {
        return value != null && value.chars().anyMatch(Character::isISOControl);
    }
}
