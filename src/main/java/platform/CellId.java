package platform;

import java.util.regex.Pattern;

/**
 * The identifier of a cell ({@code CELL_ID}): lower-case letters, digits and dashes, starting with a
 * letter, at most 32 characters. It names the cell in routes, metrics, logs and events.
 */
public record CellId(String value) {

    /** The environment variable that gives a cell node its id. */
    public static final String VARIABLE = "CELL_ID";

    /** The format of a cell id, as a regular expression (usable in {@code @Pattern}). */
    public static final String PATTERN = "[a-z][a-z0-9-]{0,31}";

    /** What a valid cell id is, in words (the message of a refused one). */
    public static final String RULE = "must be 1-32 lower-case letters, digits or dashes, starting with a letter";

    private static final Pattern FORMAT = Pattern.compile(PATTERN);

    public CellId {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(VARIABLE + " is required when " + NodeRole.VARIABLE + "=cell");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException(VARIABLE + "='" + value
                    + "' is invalid: use 1-32 lower-case letters, digits or dashes, starting with a letter");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
