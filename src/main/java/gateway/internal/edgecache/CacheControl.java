package gateway.internal.edgecache;

import java.util.Locale;

/**
 * The directives of a {@code Cache-Control} answer header that a shared cache acts on (RFC 9111
 * §5.2.2, RFC 5861). Unknown directives are ignored; a malformed or negative number is treated as
 * absent (-1), and so is one beyond a day for the stale windows or a year for {@code s-maxage}.
 */
record CacheControl(boolean isPublic, boolean isPrivate, boolean noStore, boolean noCache, long sMaxAge,
                    long staleWhileRevalidate, long staleIfError) {

    static final CacheControl NONE = new CacheControl(false, false, false, false, -1, -1, -1);
    static final long MAX_LIFETIME = 365L * 24 * 3600;
    static final long MAX_STALE = 24L * 3600;

    static CacheControl parse(String header) {
        if (header == null || header.length() > 1_024) {
            return NONE;
        }
        boolean isPublic = false;
        boolean isPrivate = false;
        boolean noStore = false;
        boolean noCache = false;
        long sMaxAge = -1;
        long swr = -1;
        long sie = -1;
        for (String part : header.split(",")) {
            String directive = part.strip();
            int eq = directive.indexOf('=');
            String name = (eq < 0 ? directive : directive.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : directive.substring(eq + 1).strip();
            switch (name) {
                case "public" -> isPublic = true;
                case "private" -> isPrivate = true;
                case "no-store" -> noStore = true;
                case "no-cache" -> noCache = true;
                case "s-maxage" -> sMaxAge = seconds(value, MAX_LIFETIME);
                case "stale-while-revalidate" -> swr = seconds(value, MAX_STALE);
                case "stale-if-error" -> sie = seconds(value, MAX_STALE);
                default -> { }
            }
        }
        return new CacheControl(isPublic, isPrivate, noStore, noCache, sMaxAge, swr, sie);
    }

    /** Whether a shared cache may keep the answer at all: {@code public} with {@code s-maxage}, nothing forbidding. */
    boolean storable() {
        return isPublic && sMaxAge >= 0 && !isPrivate && !noStore && !noCache;
    }

    private static long seconds(String value, long max) {
        if (value == null) {
            return -1;
        }
        String v = value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                ? value.substring(1, value.length() - 1) : value;
        if (v.isEmpty() || v.length() > 10) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return -1;
            }
        }
        long parsed = Long.parseLong(v);
        return parsed > max ? -1 : parsed;
    }
}
