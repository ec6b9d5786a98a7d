package lifecycle.internal.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where tenant archives are kept, by key ({@code <tenant id>/<export id>.zip}). A directory today
 * ({@link DirectoryArchiveStore}); an S3-compatible store is another implementation of this interface.
 */
public interface ArchiveStore {

    /** An archive being written: visible under its key only once {@link #commit()} has been called. */
    interface Upload extends AutoCloseable {
        OutputStream stream();

        /** Makes the written archive visible under its key (replacing one there). */
        void commit() throws IOException;

        /** Drops what was written unless it was committed. */
        @Override
        void close() throws IOException;
    }

    Upload create(String key) throws IOException;

    /** The archive's bytes, if it exists. */
    Optional<InputStream> open(String key) throws IOException;

    /** Its size in bytes, if it exists. */
    Optional<Long> size(String key) throws IOException;

    /** Removes it (nothing if it does not exist). */
    void delete(String key) throws IOException;

    /** Whether a key is one this store could have made (no path tricks, no other characters). */
    static boolean validKey(String key) {
        return key != null && key.matches("[0-9a-f-]{36}/[0-9a-f-]{36}\\.zip");
    }
}
