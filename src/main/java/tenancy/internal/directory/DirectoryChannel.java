package tenancy.internal.directory;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import platform.NodeRole;
import platform.RoleGate;
import platform.StorefrontConfig;
import platform.pubsub.ChannelSubscription;

/**
 * The cell's directory changes channel ({@value #CHANNEL} on the cell's Redis): a node that changed the
 * cell's tenant directory (a shop provisioned, suspended, resumed, a domain added or removed) says so, and
 * every node of the cell, itself included, drops its cached lookups within milliseconds.
 *
 * <p>{@link #live()} says whether this node hears every change: only while its subscription is up. A
 * node that lost it (Redis stopped, the connection dropped) may have missed changes, so it drops its
 * cached lookups once subscribed again and, until then, serves none older than the short lifetime
 * ({@code TenantDirectoryImpl}). A change that could not be announced (Redis unreachable at that moment)
 * is announced again every second until it is; the nodes that did not hear it meanwhile are either
 * unsubscribed (short lifetime) or hear it then.
 */
@ApplicationScoped
public class DirectoryChannel {

    /** The channel of directory changes on the cell's Redis. */
    public static final String CHANNEL = "tenancy:directory";

    private static final Logger LOG = Logger.getLogger(DirectoryChannel.class);

    private final ReactiveRedisDataSource redis;
    private final StorefrontConfig storefront;
    private final ChannelSubscription subscription;
    private final AtomicBoolean unannounced = new AtomicBoolean();
    private volatile Runnable onChange = () -> {};

    @Inject
    DirectoryChannel(ReactiveRedisDataSource redis, StorefrontConfig storefront) {
        this.redis = redis;
        this.storefront = storefront;
        // once subscribed (again), changes made while this node was not listening are unknown: forget everything
        this.subscription = new ChannelSubscription(redis, CHANNEL, message -> onChange.run(), () -> onChange.run(),
                () -> {}, LOG, "tenant directory lookups are kept until a change is announced",
                "tenant directory lookups are read again every 2 s");
    }

    /** What to run when any node of the cell changed the directory (and when this node subscribed again). */
    public void onChange(Runnable action) {
        this.onChange = action;
    }

    /** Whether this node hears every change of the directory now. */
    public boolean live() {
        return subscription.live();
    }

    /** Tells every node of the cell that the directory changed (asynchronous; retried every second until Redis took it). */
    public void announce() {
        unannounced.set(true);
        publish();
    }

    void onStart(@Observes StartupEvent event) {
        if (storefront.role() == NodeRole.CELL) {
            subscription.ensure();
        }
    }

    @Scheduled(every = "1s", skipExecutionIf = RoleGate.NotCell.class)
    void everySecond() {
        subscription.ensure();
        if (unannounced.get()) {
            publish();
        }
    }

    private void publish() {
        if (!unannounced.compareAndSet(true, false)) {
            return;
        }
        redis.pubsub(String.class).publish(CHANNEL, "changed").ifNoItem().after(ChannelSubscription.WAIT).fail()
                .subscribe().with(
                        ignored -> {},
                        failure -> {
                            unannounced.set(true);
                            LOG.debugf("Directory change not announced yet (retried every second): %s", failure.toString());
                        });
    }
}
