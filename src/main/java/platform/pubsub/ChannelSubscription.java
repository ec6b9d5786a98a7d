package platform.pubsub;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * A node's subscription to one channel of its cell's Redis, for a cache that must hear every change made on
 * the other nodes: {@link #live()} says whether it hears them now. The owner calls {@link #ensure()} at start
 * and every second; a lost subscription (Redis stopped, the connection dropped) is reported once, and the
 * owner's {@code onUp} runs each time the subscription is made again (changes may have been missed meanwhile).
 */
public final class ChannelSubscription {

    /** The longest a subscription attempt waits for Redis. */
    public static final Duration WAIT = Duration.ofSeconds(2);

    private final ReactiveRedisDataSource redis;
    private final String channel;
    private final Consumer<String> onMessage;
    private final Runnable onUp;
    private final Runnable onDown;
    private final Logger log;
    private final String whileUp;
    private final String whileDown;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile boolean live;
    private volatile ReactiveRedisSubscriber subscriber;

    /**
     * @param onMessage each message received
     * @param onUp      runs once the subscription is made (again)
     * @param onDown    runs when it is lost
     * @param log       the owner's logger
     * @param whileUp   what the node does while subscribed (logged when subscribed)
     * @param whileDown what the node does while not (logged when the subscription is lost)
     */
    public ChannelSubscription(ReactiveRedisDataSource redis, String channel, Consumer<String> onMessage, Runnable onUp,
                               Runnable onDown, Logger log, String whileUp, String whileDown) {
        this.redis = redis;
        this.channel = channel;
        this.onMessage = onMessage;
        this.onUp = onUp;
        this.onDown = onDown;
        this.log = log;
        this.whileUp = whileUp;
        this.whileDown = whileDown;
    }

    /** Whether the subscription is up now. */
    public boolean live() {
        return live;
    }

    /** Subscribes unless the subscription is up or being made (asynchronous). */
    public void ensure() {
        if (live || !connecting.compareAndSet(false, true)) {
            return;
        }
        redis.pubsub(String.class).subscribe(channel, onMessage, () -> lost(null), this::lost)
                .ifNoItem().after(WAIT).fail()
                .subscribe().with(subscribed -> {
                    subscriber = subscribed;
                    live = true;
                    connecting.set(false);
                    onUp.run();
                    log.infof("Subscribed to %s: %s", channel, whileUp);
                }, failure -> {
                    connecting.set(false);
                    log.debugf("Subscription to %s failed: %s", channel, failure);
                });
    }

    private void lost(Throwable failure) {
        boolean was = live;
        live = false;
        onDown.run();
        ReactiveRedisSubscriber old = subscriber;
        subscriber = null;
        if (old != null) {
            old.unsubscribe().subscribe().with(ignored -> {}, ignored -> {});
        }
        if (was) {
            log.warnf("Subscription to %s lost (%s): %s until it is back", channel,
                    failure == null ? "connection closed" : failure.toString(), whileDown);
        }
    }
}
