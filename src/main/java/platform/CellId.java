package platform;

import java.util.regex.Pattern;

/**
 * The identifier of a cell ({@code CELL_ID}): lower-case letters, digits and dashes, starting with a
 * letter, at most 32 characters. It names the cell in routes, metrics, logs and events.
 */
public record CellId(String value) {

    /** The environment variable that gives a cell node its id. */
    public static final String VARIABLE = "CELL_ID";

    private static final Pattern FORMAT = Pattern.compile("[a-z][a-z0-9-]{0,31}");

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
