package lifecycle.internal;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Exports, imports and purges of shops ({@code storefront.lifecycle.*} in application.properties). */
@ConfigMapping(prefix = "storefront.lifecycle")
public interface LifecycleConfig {

    /** Where archives are kept ({@code LIFECYCLE_ARCHIVE_DIR}); several cells may share it. */
    String archiveDir();

    /** How long an export's archive is kept before it is deleted ({@code LIFECYCLE_ARCHIVE_RETENTION}, a day). */
    @WithDefault("24h")
    Duration archiveRetention();

    /** How long a download link works ({@code LIFECYCLE_LINK_TTL}, 15 minutes). */
    @WithDefault("15m")
    Duration linkTtl();

    /** The longest an export or an import may take ({@code LIFECYCLE_MAX_DURATION}, 30 minutes). */
    @WithDefault("30m")
    Duration maxDuration();

    /** Exports a node runs at once; more wait for their turn ({@code LIFECYCLE_EXPORTS_AT_ONCE}). */
    @WithDefault("2")
    int exportsAtOnce();

    /** Rows a purge deletes per statement and transaction ({@code LIFECYCLE_PURGE_BATCH_ROWS}). */
    @WithDefault("1000")
    int purgeBatchRows();

    /**
     * The share of its time a purge spends deleting (percent; {@code LIFECYCLE_PURGE_DUTY_PERCENT}): after each batch
     * it pauses so that, at 50, it pauses as long as the batch took, leaving the database to the cell's other shops.
     */
    @WithDefault("50")
    int purgeDutyPercent();
}
