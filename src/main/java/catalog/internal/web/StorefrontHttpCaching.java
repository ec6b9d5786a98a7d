package catalog.internal.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import platform.EntityTags;
import platform.SurrogateKeys;

/**
 * The HTTP caching contract of the storefront's public reads (the catalogue of
 * {@link StorefrontCatalogResource} and the shop at {@code /api/storefront/shop}), for shared caches
 * in front of the cell (the gateways' edge cache):
 * <ul>
 *   <li>a strong {@code ETag} on 200 answers, and {@code 304 Not Modified} (tag, no body) when the
 *       request's {@code If-None-Match} matches it by weak comparison (an oversized or malformed
 *       header is ignored: the full answer is sent);</li>
 *   <li>{@code Cache-Control: public, max-age=0, s-maxage=N, stale-while-revalidate=M,
 *       stale-if-error=K} on 200 answers (browsers revalidate every time: answers carry stock), and
 *       {@code public, s-maxage=5} on 404s;</li>
 *   <li>{@code Surrogate-Key}: the keys of the answer from its path ({@link SurrogateKeys}), so a
 *       catalogue event can purge exactly the answers it makes stale.</li>
 * </ul>
 * Every other answer under {@code /api/storefront/} or {@code /api/admin/} (carts, checkouts, orders,
 * the merchant API, errors of the reads above) gets {@code Cache-Control: no-store} unless it already
 * says something.
 */
@Singleton
public class StorefrontHttpCaching {

    static final int NOT_FOUND_S_MAXAGE = 5;

    @Inject ObjectMapper json;

    /** Read at the first answer: filters are created at static initialisation, before config mappings exist. */
    @Inject Provider<EdgeCachingConfig> config;
    private volatile String contract;

    @ServerResponseFilter
    public void caching(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path == null || !(path.startsWith("/api/storefront/") || path.startsWith("/api/admin"))) {
            return;
        }
        String method = request.getMethod();
        boolean read = "GET".equals(method) || "HEAD".equals(method);
        Optional<List<String>> keys = read ? SurrogateKeys.forStorefrontPath(path) : Optional.empty();
        int status = response.getStatus();
        var headers = response.getHeaders();
        if (keys.isEmpty() || (status != 200 && status != 404)) {
            if (!headers.containsKey("Cache-Control")) {
                headers.putSingle("Cache-Control", "no-store");
            }
            return;
        }
        headers.putSingle(SurrogateKeys.HEADER, SurrogateKeys.header(keys.get()));
        if (status == 404) {
            headers.putSingle("Cache-Control", "public, s-maxage=" + NOT_FOUND_S_MAXAGE);
            return;
        }
        headers.putSingle("Cache-Control", contract());
        String body = body(response.getEntity());
        if (body == null) {
            return;
        }
        if (!(response.getEntity() instanceof String)) {
            response.setEntity(body, null, MediaType.APPLICATION_JSON_TYPE); // the bytes that were tagged are sent
        }
        String etag = EntityTags.strong(body.getBytes(StandardCharsets.UTF_8));
        headers.putSingle("ETag", etag);
        if (EntityTags.noneMatchHits(request.getHeaderString("If-None-Match"), etag)) {
            response.setStatus(304);
            response.setEntity(null);
            headers.remove("Content-Type");
            headers.remove("Content-Length");
        }
    }

    private String contract() {
        String value = contract;
        if (value == null) {
            EdgeCachingConfig edge = config.get();
            value = "public, max-age=0, s-maxage=" + edge.maxAge().toSeconds()
                    + ", stale-while-revalidate=" + edge.staleWhileRevalidate().toSeconds()
                    + ", stale-if-error=" + edge.staleIfError().toSeconds();
            contract = value;
        }
        return value;
    }

    private String body(Object entity) {
        if (entity == null) {
            return null;
        }
        if (entity instanceof String text) {
            return text;
        }
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            return null; // left to the normal writer, untagged
        }
    }
}
