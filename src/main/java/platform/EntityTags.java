package platform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

/**
 * Entity tags (RFC 9110 §8.8.3) and {@code If-None-Match} (§13.1.2), as cells and gateways use them:
 * a strong tag from the body's digest, and the weak comparison of a request's list of tags. A header
 * that is too long or malformed matches nothing (the request is answered in full, never refused).
 */
public final class EntityTags {

    /** Longest {@code If-None-Match} considered; a longer one is ignored. */
    public static final int MAX_IF_NONE_MATCH = 2_048;

    private EntityTags() {}

    /** A strong tag of a body: {@code "} + base64url of the first 16 bytes of its SHA-256 + {@code "}. */
    public static String strong(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A strong tag of a text body (UTF-8). */
    public static String strong(String body) {
        return strong(body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether an {@code If-None-Match} value matches a tag by weak comparison: {@code *}, or a
     * comma-separated list of entity tags one of which has the same opaque value ({@code W/} ignored).
     * A null, blank, oversized or malformed header matches nothing.
     */
    public static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null || ifNoneMatch.length() > MAX_IF_NONE_MATCH) {
            return false;
        }
        String value = ifNoneMatch.strip();
        if (value.equals("*")) {
            return true;
        }
        String wanted = opaque(etag);
        if (wanted == null) {
            return false;
        }
        int i = 0;
        int n = value.length();
        boolean hit = false;
        while (i < n) {
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t' || value.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            if (value.startsWith("W/", i)) {
                i += 2;
            }
            if (i >= n || value.charAt(i) != '"') {
                return false; // malformed: ignore the whole header
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            String tag = value.substring(start, close + 1);
            for (int c = i + 1; c < close; c++) {
                char ch = value.charAt(c);
                if (ch < 0x21 || ch == 0x7f) {
                    return false;
                }
            }
            if (wanted.equals(opaque(tag))) {
                hit = true;
            }
            i = close + 1;
            while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
                i++;
            }
            if (i < n && value.charAt(i) != ',') {
                return false;
            }
        }
        return hit;
    }

    /** The quoted opaque part of a tag, without a {@code W/} prefix; null when it is not a tag. */
    static String opaque(String tag) {
        String t = tag.strip();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        return t.length() >= 2 && t.charAt(0) == '"' && t.charAt(t.length() - 1) == '"' ? t : null;
    }
}
