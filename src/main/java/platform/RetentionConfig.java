package platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How long a cell keeps records that only serve for a while ({@code storefront.retention.*} in application.properties). */
@ConfigMapping(prefix = "storefront.retention")
public interface RetentionConfig {

    /** How long an idempotency key and its stored answer are kept ({@code IDEMPOTENCY_RETENTION}, a day). */
    @WithDefault("24h")
    Duration idempotencyKeys();

    /** How long expired API tokens, sessions and invitations are kept after they expired ({@code EXPIRED_CREDENTIAL_RETENTION}, a week). */
    @WithDefault("168h")
    Duration expiredCredentials();

    /** How often the retention jobs run on a cell node ({@code RETENTION_EVERY}). */
    @WithDefault("5m")
    Duration every();
}
