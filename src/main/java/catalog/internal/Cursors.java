package catalog.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import platform.ProblemException;

/** Opaque keyset cursors: the last sort key of a page, base64url-encoded. */
public final class Cursors {

    private Cursors() {}

    public static String encode(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(lastKey.getBytes(StandardCharsets.UTF_8));
    }

    /** The key a cursor stands for; a malformed cursor is a 400 naming the parameter. */
    public static Optional<String> decode(String cursor, String parameter) {
        if (cursor == null || cursor.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (cursor.length() > 400) {
                throw new IllegalArgumentException("too long");
            }
            return Optional.of(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidCursor(parameter);
        }
    }

    /** A LIKE pattern that matches the text anywhere, with the wildcards of the text escaped. */
    public static String containsPattern(String text) {
        return platform.LikePatterns.containsLowerCase(text);
    }
}
