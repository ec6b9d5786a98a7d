package catalog.internal.readcache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.UUID;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.RoleGate;
import platform.StorefrontConfig;
import platform.pubsub.ChannelSubscription;

/**
 * This node's subscription to the versions channel ({@value RedisTier#CHANNEL}): every change of a
 * tenant's catalogue version, on any node of the cell, reaches every node within milliseconds and
 * updates its {@link TenantVersions}. While the subscription is down (Redis stopped, the connection
 * lost) the node trusts no version it knows; it subscribes again every second.
 */
@ApplicationScoped
class VersionChannel {

    private static final Logger LOG = Logger.getLogger(VersionChannel.class);

    @Inject StorefrontConfig storefront;

    private final TenantVersions versions;
    private final ChannelSubscription subscription;

    @Inject
    VersionChannel(ReadCacheConfig config, ReactiveRedisDataSource redis) {
        this.versions = new TenantVersions(config.staleness(), System::nanoTime);
        this.subscription = new ChannelSubscription(redis, RedisTier.CHANNEL, this::received, versions::subscribed,
                versions::unsubscribed, LOG, "catalogue versions learnt from other nodes",
                "every storefront read asks Redis");
    }

    TenantVersions versions() {
        return versions;
    }

    void onStart(@Observes StartupEvent event) {
        if (storefront.role() == NodeRole.CELL) {
            subscription.ensure();
        }
    }

    @Scheduled(every = "1s", skipExecutionIf = RoleGate.NotCell.class)
    void resubscribe() {
        subscription.ensure();
    }

    private void received(String message) {
        int space = message == null ? -1 : message.indexOf(' ');
        if (space < 0) {
            return;
        }
        try {
            UUID tenant = UUID.fromString(message.substring(0, space));
            long version = TenantVersions.parse(message.substring(space + 1));
            if (version >= 0) {
                versions.learn(tenant, version, versions.now());
            }
        } catch (IllegalArgumentException notOurs) {
            // not a message of ours: ignored
        }
    }
}
