package orders.internal.waitingroom;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Waiting rooms that turn themselves on: when more checkouts of a shop reach a node within one second than the shop's
 * room admits per second, the room is on for {@link #HOLD} from then, for every node of the cell (a key in its Redis,
 * {@code wr:{shop}:surge}, holding until when), and each further second of such demand extends it. Each node counts
 * the checkouts it receives itself (no shared counter on the checkout's path); a node learns of a surge seen by another
 * within {@link #KNOWN}. When Redis cannot be reached, a surge is not shared and ends within {@link #KNOWN} on the node
 * that saw it (its shop's checkouts then pass unqueued; stock stays exact either way).
 */
@ApplicationScoped
class Surge {

    private static final Logger LOG = Logger.getLogger(Surge.class);

    /** How long a room turned on by demand stays on after the last second of such demand. */
    static final Duration HOLD = Duration.ofMinutes(5);
    /** How long a node keeps what it read of a shop's surge. */
    static final Duration KNOWN = Duration.ofSeconds(2);

    @Inject ReactiveRedisDataSource redis;

    private final Demand demand = new Demand();
    /** What this node knows of a shop's surge: on until when (epoch ms), and when it last asked Redis. */
    private record Known(long until, long askedAt) {}

    /** Per shop, as this node knows it; shops not asked about for a while are forgotten. */
    private final Cache<UUID, Known> known = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10)).maximumSize(100_000).build();

    /**
     * Whether the shop's room is on by demand now, as this node knows it. Never waits for Redis: what it knows is
     * refreshed in the background when older than {@link #KNOWN} (a checkout's path does not slow down when Redis does).
     */
    boolean on(UUID shop, long nowMillis) {
        Known k = known.getIfPresent(shop);
        if (k == null || nowMillis - k.askedAt() >= KNOWN.toMillis()) {
            long until = k == null ? 0L : k.until();
            known.put(shop, new Known(until, nowMillis)); // one question at a time
            redis.execute(Command.GET, key(shop)).subscribe().with(
                    // the later of what Redis says and what this node saw meanwhile itself
                    answer -> known.asMap().merge(shop, new Known(answer == null ? 0L : Long.parseLong(answer.toString()), nowMillis),
                            (mine, read) -> new Known(Math.max(mine.until(), read.until()), mine.askedAt())),
                    failed -> LOG.debugf("surge of shop %s not read: %s", shop, failed.getMessage()));
            return until > nowMillis;
        }
        return k.until() > nowMillis;
    }

    /**
     * Counts a checkout of the shop; when it is one more than {@code threshold} within its second, turns the room on
     * (or keeps it on) for {@link #HOLD}. Returns whether it did.
     */
    boolean arrived(UUID shop, int threshold, long nowMillis) {
        if (!demand.crosses(shop, threshold, nowMillis)) {
            return false;
        }
        long until = nowMillis + HOLD.toMillis();
        known.put(shop, new Known(until, nowMillis));
        redis.execute(Command.SET, key(shop), Long.toString(until), "PX", Long.toString(HOLD.toMillis()))
                .subscribe().with(ok -> { }, failed -> LOG.debugf("surge of shop %s not shared: %s", shop, failed.getMessage()));
        LOG.infof("Waiting room of shop %s on by demand: more than %d checkouts in a second", shop, threshold);
        return true;
    }

    /** Ends a surge at once (the merchant turned the room's automatic switch off, or the room on or off by hand). */
    void end(UUID shop) {
        known.put(shop, new Known(0L, 0L));
        demand.forget(shop);
        redis.execute(Command.DEL, key(shop)).subscribe().with(ok -> { }, failed -> { });
    }

    /** Checkouts per shop within the current calendar second, counted without a lock. */
    static final class Demand {

        /**
         * Per shop: the second (epoch) and the checkouts counted in it, packed as second * 2^20 + count; a shop without a
         * checkout for a minute is forgotten (a cell's many quiet shops hold no memory here).
         */
        private final Cache<UUID, AtomicLong> counts = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).build();

        /** Counts one checkout; true for the one that makes the second's count exceed {@code threshold} (once a second). */
        boolean crosses(UUID shop, int threshold, long nowMillis) {
            long second = nowMillis / 1000;
            long packed = counts.get(shop, k -> new AtomicLong())
                    .updateAndGet(v -> (v >>> 20) == second ? v + 1 : (second << 20) + 1);
            return (packed & 0xFFFFF) == threshold + 1L;
        }

        void forget(UUID shop) {
            counts.invalidate(shop);
        }
    }

    private static String key(UUID shop) {
        return "wr:{" + shop + "}:surge";
    }
}
