package orders.internal.retention;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** When abandoned carts are deleted ({@code storefront.carts.*} in application.properties). */
@ConfigMapping(prefix = "storefront.carts")
public interface CartRetentionConfig {

    /** How long a cart is kept after it was created and last changed ({@code CART_RETENTION}, 30 days). */
    @WithDefault("720h")
    Duration retention();

    /** How often the retention runs ({@code CART_CLEANUP_EVERY}). */
    @WithDefault("5m")
    Duration cleanupEvery();
}
