package gateway.internal.edgecache;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * What identifies a cached answer: the tenant (from the route, so every host name of a shop shares
 * its entries and two shops never do), the normalised path, the normalised query (parameters sorted)
 * and the values of the request headers the answer varies on. GET and HEAD share entries.
 */
record EdgeKey(UUID tenantId, String path, String query, String vary) {

    /** Longest query kept in a key; a longer one is forwarded, not cached. */
    static final int MAX_QUERY_CHARS = 1_024;
    /** Most query parameters kept in a key. */
    static final int MAX_QUERY_PARAMETERS = 20;
    /** Longest path kept in a key. */
    static final int MAX_PATH_CHARS = 512;
    /** The request headers an answer may vary on and still be cached. */
    static final List<String> VARY_SUPPORTED = List.of("accept", "accept-encoding", "accept-language");

    /** The key without vary values, or empty when the request is not to be cached (query or path too big, malformed). */
    static Optional<EdgeKey> primary(UUID tenantId, String normalisedPath, String rawQuery) {
        if (normalisedPath == null || normalisedPath.length() > MAX_PATH_CHARS) {
            return Optional.empty();
        }
        return normaliseQuery(rawQuery).map(q -> new EdgeKey(tenantId, normalisedPath, q, ""));
    }

    /**
     * The query with its parameters decoded, sorted (by name, then value, stable) and re-encoded, so
     * that {@code ?b=2&a=1} and {@code ?a=1&b=2} share an entry; empty parameters ({@code &&}) are
     * dropped. Empty when it is too long, has too many parameters or cannot be decoded.
     */
    static Optional<String> normaliseQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.of("");
        }
        if (raw.length() > MAX_QUERY_CHARS) {
            return Optional.empty();
        }
        List<String[]> pairs = new ArrayList<>();
        for (String part : raw.split("&", -1)) {
            if (part.isEmpty()) {
                continue;
            }
            if (pairs.size() == MAX_QUERY_PARAMETERS) {
                return Optional.empty();
            }
            int eq = part.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? null : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
                pairs.add(new String[] {name, value});
            } catch (IllegalArgumentException malformed) {
                return Optional.empty();
            }
        }
        pairs.sort((x, y) -> {
            int byName = x[0].compareTo(y[0]);
            if (byName != 0) {
                return byName;
            }
            return x[1] == null ? (y[1] == null ? 0 : -1) : y[1] == null ? 1 : x[1].compareTo(y[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(encode(pair[0]));
            if (pair[1] != null) {
                out.append('=').append(encode(pair[1]));
            }
        }
        return Optional.of(out.toString());
    }

    /**
     * The names of an answer's {@code Vary} header (lower case, sorted), or empty when it varies on
     * something this cache does not key on ({@code *} or another header).
     */
    static Optional<List<String>> varyNames(List<String> varyHeaders) {
        List<String> names = new ArrayList<>();
        for (String header : varyHeaders) {
            for (String part : header.split(",")) {
                String name = part.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!VARY_SUPPORTED.contains(name)) {
                    return Optional.empty();
                }
                if (!names.contains(name)) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        return Optional.of(List.copyOf(names));
    }

    /** This key with the values of the named request headers (already lower case, sorted). */
    EdgeKey varying(List<String> names, java.util.function.Function<String, String> requestHeader) {
        if (names.isEmpty()) {
            return vary.isEmpty() ? this : new EdgeKey(tenantId, path, query, "");
        }
        StringBuilder values = new StringBuilder();
        for (String name : names) {
            String value = requestHeader.apply(name);
            values.append(name).append('=').append(value == null ? "" : value.strip()).append('\n');
        }
        return new EdgeKey(tenantId, path, query, values.toString());
    }

    /** This key without vary values: the key of the rule saying which headers it varies on. */
    EdgeKey primary() {
        return vary.isEmpty() ? this : new EdgeKey(tenantId, path, query, "");
    }

    /** Bytes this key takes, roughly (two bytes a char, plus the object). */
    int weight() {
        return 64 + 2 * (path.length() + query.length() + vary.length());
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
