package controlplane.internal.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import platform.Problem;
import platform.StorefrontConfig;

/**
 * Lets only operators through to {@link OperatorOnly} resources: {@code Authorization: Bearer
 * <OPERATOR_TOKEN>}. No credential: 401 with a challenge; a wrong one: 403. With no token configured
 * nobody gets in.
 */
class OperatorAuthFilter {

    private static final String BEARER = "Bearer ";

    @Inject StorefrontConfig config;

    @ServerRequestFilter
    @OperatorOnly
    Optional<Response> authenticate(ContainerRequestContext request) {
        if (!config.serves().control()) {
            return Optional.empty(); // the resource is disabled on this node and answers 404
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of(Response.status(401)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"storefront-operator\"")
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(401, "Unauthorized", "An operator bearer token is required.")
                            .withInstance(request.getUriInfo().getPath()))
                    .build());
        }
        String presented = header.substring(BEARER.length()).trim();
        Optional<String> expected = config.operatorToken().filter(token -> !token.isBlank());
        if (expected.isEmpty() || !constantTimeEquals(presented, expected.get())) {
            return Optional.of(Response.status(403)
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(403, "Forbidden", "The operator token is not valid.")
                            .withInstance(request.getUriInfo().getPath()))
                    .build());
        }
        return Optional.empty();
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
