package catalog.internal.readcache;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.RoleGate;
import platform.StorefrontConfig;

/**
 * This node's subscription to the versions channel ({@value RedisTier#CHANNEL}): every change of a
 * tenant's catalogue version, on any node of the cell, reaches every node within milliseconds and
 * updates its {@link TenantVersions}. While the subscription is down (Redis stopped, the connection
 * lost) the node trusts no version it knows; it subscribes again every second.
 */
@ApplicationScoped
class VersionChannel {

    private static final Logger LOG = Logger.getLogger(VersionChannel.class);
    static final Duration SUBSCRIBE_WAIT = Duration.ofSeconds(2);

    @Inject ReactiveRedisDataSource redis;
    @Inject StorefrontConfig storefront;

    private final TenantVersions versions;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile ReactiveRedisSubscriber subscriber;

    @Inject
    VersionChannel(ReadCacheConfig config) {
        this.versions = new TenantVersions(config.staleness(), System::nanoTime);
    }

    TenantVersions versions() {
        return versions;
    }

    void onStart(@Observes StartupEvent event) {
        if (storefront.role() == NodeRole.CELL) {
            subscribe();
        }
    }

    @Scheduled(every = "1s", skipExecutionIf = RoleGate.NotCell.class)
    void resubscribe() {
        if (!versions.isSubscribed()) {
            subscribe();
        }
    }

    private void subscribe() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        redis.pubsub(String.class).subscribe(RedisTier.CHANNEL, this::received, () -> lost(null), this::lost)
                .ifNoItem().after(SUBSCRIBE_WAIT).fail()
                .subscribe().with(subscribed -> {
                    subscriber = subscribed;
                    versions.subscribed();
                    connecting.set(false);
                    LOG.infof("Subscribed to %s: catalogue versions learnt from other nodes", RedisTier.CHANNEL);
                }, failure -> {
                    connecting.set(false);
                    LOG.debugf("Subscription to %s failed: %s", RedisTier.CHANNEL, failure);
                });
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

    private void lost(Throwable failure) {
        boolean was = versions.isSubscribed();
        versions.unsubscribed();
        ReactiveRedisSubscriber old = subscriber;
        subscriber = null;
        if (old != null) {
            old.unsubscribe().subscribe().with(ignored -> {}, ignored -> {});
        }
        if (was) {
            LOG.warnf("Subscription to %s lost (%s): every storefront read asks Redis until it is back",
                    RedisTier.CHANNEL, failure == null ? "connection closed" : failure.toString());
        }
    }
}
