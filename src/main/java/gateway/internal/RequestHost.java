package gateway.internal;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * The authority a request names, by RFC 9112: the {@code Host} header of an origin-form request, or
 * the authority of an absolute-form request target ({@code GET http://shop.example/path HTTP/1.1}),
 * which wins over any {@code Host} header (§3.2.2). A request with more than one {@code Host} header,
 * or an HTTP/1.1 request with none, or an absolute-form target that is not an http(s) URI with an
 * authority, names nothing and is refused ({@link #refusal()} says why).
 *
 * @param authority the raw authority ({@code host[:port]}) to route by, or {@code null} when refused
 * @param refusal why the request is refused with 400, or {@code null}
 */
record RequestHost(String authority, String refusal) {

    static RequestHost of(HttpServerRequest request) {
        List<String> hosts = request.headers().getAll("Host");
        if (hosts.size() > 1) {
            return refused("The request has more than one Host header.");
        }
        String header = hosts.isEmpty() ? null : hosts.get(0);
        String target = request.uri();
        if (target != null && !target.startsWith("/") && !"*".equals(target)) {
            return absoluteForm(target);
        }
        if (header == null && request.version() == HttpVersion.HTTP_2 && request.authority() != null) {
            return new RequestHost(request.authority().toString(), null); // HTTP/2 names it in :authority
        }
        if (header == null && request.version() != HttpVersion.HTTP_1_0) {
            return refused("The request has no Host header.");
        }
        return new RequestHost(header, null);
    }

    private static RequestHost absoluteForm(String target) {
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return refused("The request target is not a valid URI.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getRawAuthority();
        if (!scheme.equals("http") && !scheme.equals("https") || authority == null || authority.isEmpty()
                || authority.contains("@")) {
            return refused("An absolute request target must be an http(s) URI with a host.");
        }
        return new RequestHost(authority, null);
    }

    private static RequestHost refused(String why) {
        return new RequestHost(null, why);
    }
}
