package lifecycle.internal.archive;

import java.util.Optional;

/** An archive that cannot be taken as it is: truncated, tampered with, of another format, or not for this cell's schema. */
public class ArchiveException extends Exception {

    private final String table;

    public ArchiveException(String table, String message) {
        super(message);
        this.table = table;
    }

    public ArchiveException(String table, String message, Throwable cause) {
        super(message, cause);
        this.table = table;
    }

    /** The table whose entry failed, when one did. */
    public Optional<String> table() {
        return Optional.ofNullable(table);
    }
}
