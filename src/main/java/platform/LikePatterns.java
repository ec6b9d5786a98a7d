package platform;

import java.util.Locale;

/** SQL LIKE patterns built from user text (with {@code escape '\'}), so that % and _ match themselves. */
public final class LikePatterns {

    private LikePatterns() {}

    /** A pattern matching values that contain the text, compared in lower case. */
    public static String containsLowerCase(String text) {
        return "%" + text.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
