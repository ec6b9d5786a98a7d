package lifecycle.internal.archive;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import lifecycle.internal.LifecycleConfig;

/** The node's archive store: a directory ({@code LIFECYCLE_ARCHIVE_DIR}). */
@ApplicationScoped
class ArchiveStores {

    @Produces
    @Singleton
    ArchiveStore store(LifecycleConfig config) {
        return new DirectoryArchiveStore(Path.of(config.archiveDir()));
    }
}
