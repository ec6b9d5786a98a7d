package orders.internal.waitingroom;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import platform.Secrets;
import platform.redis.LuaScript;

/**
 * A shop's waiting-room queue in the cell's Redis, first in first out: one hash per shop holds how many tickets were
 * handed out ({@code issued}: ticket {@code n} is the n-th) and the admission cursor ({@code admitted}: every ticket up to
 * it may check out), which moves on at the shop's admission rate. An idle room banks at most a tenth of a second of
 * admissions (at least one), so that shoppers of a quiet shop pass at once while a sale's first moment sends no more
 * checkouts at once than its rate does in 100 ms. While the room is on, the same hash mirrors the variants of each cart
 * changed meanwhile ({@code c:<cart>}), so that a shopper joining the queue costs no database read. One round trip per
 * call (the queue's moves are a Lua script); the hash expires after {@link #IDLE} without use.
 */
@ApplicationScoped
class ShopQueue {

    static final Duration IDLE = Duration.ofHours(3);
    /** Longest wait for Redis; then the call fails and the checkout is refused with 503 (never let through unqueued). */
    static final Duration TIMEOUT = Duration.ofMillis(500);
    /** Where the cell's key for signing tickets lives (made once, at the first use). */
    static final String KEY = "wr:ticket-key";

    static final LuaScript ADVANCE = new LuaScript("""
            local now = tonumber(ARGV[1])
            local rate = tonumber(ARGV[2])
            local issued = tonumber(redis.call('HGET', KEYS[1], 'issued') or '0')
            local bank = math.max(1, math.floor(rate / 10))
            local admitted = tonumber(redis.call('HGET', KEYS[1], 'admitted') or tostring(bank))
            local at = tonumber(redis.call('HGET', KEYS[1], 'at') or ARGV[1])
            if now > at then
              admitted = admitted + (now - at) * rate / 1000
              at = now
            end
            if ARGV[3] == '1' then
              issued = issued + 1
            end
            if admitted > issued + bank then
              admitted = issued + bank
            end
            redis.call('HSET', KEYS[1], 'issued', string.format('%d', issued), 'admitted', string.format('%.3f', admitted),
              'at', string.format('%d', at))
            redis.call('EXPIRE', KEYS[1], ARGV[4])
            return {string.format('%d', issued), string.format('%d', math.floor(admitted))}
            """);

    static final LuaScript MIRROR = new LuaScript("""
            redis.call('HSET', KEYS[1], 'c:' .. ARGV[1], ARGV[2])
            redis.call('EXPIRE', KEYS[1], ARGV[3])
            return 1
            """);

    /** Tickets handed out so far (with a new one: its number), and the last ticket number admitted. */
    record Place(long issued, long admitted) {}

    @Inject ReactiveRedisDataSource redis;

    private volatile String signingKey;

    /** Takes the next ticket number of the shop's queue. */
    Place join(UUID shop, int admitPerSecond, long nowMillis) {
        return advance(shop, admitPerSecond, nowMillis, true);
    }

    /** Where the shop's queue stands now. */
    Place look(UUID shop, int admitPerSecond, long nowMillis) {
        return advance(shop, admitPerSecond, nowMillis, false);
    }

    /** Mirrors the variants a cart of the shop holds now. */
    void mirror(UUID shop, UUID cart, List<UUID> variants) {
        MIRROR.run(redis, key(shop), cart.toString(), String.join("_", variants.stream().map(UUID::toString).toList()),
                Long.toString(IDLE.toSeconds())).await().atMost(TIMEOUT);
    }

    /** The shop's figures of a sale: orders placed through the room ({@code sold}), answers "sold out" ({@code soldOut}). */
    enum Tally {
        SOLD("sold"), SOLD_OUT("soldout");

        final String field;

        Tally(String field) {
            this.field = field;
        }
    }

    /** Counts one more of a figure, without waiting (a figure that could not be counted is one less, nothing else). */
    void count(UUID shop, Tally tally) {
        redis.execute(Command.HINCRBY, key(shop), tally.field, "1").subscribe().with(ok -> { }, failed -> { });
    }

    /** The shop's queue and figures now: tickets handed out, admitted, orders placed, answers "sold out". */
    record Figures(long issued, long admitted, long sold, long soldOut) {}

    Figures figures(UUID shop, int admitPerSecond, long nowMillis) {
        Place place = look(shop, admitPerSecond, nowMillis);
        Response counts = redis.execute(Command.HMGET, key(shop), Tally.SOLD.field, Tally.SOLD_OUT.field).await().atMost(TIMEOUT);
        return new Figures(place.issued(), Math.min(place.admitted(), place.issued()), number(counts.get(0)), number(counts.get(1)));
    }

    private static long number(Response value) {
        return value == null ? 0 : Long.parseLong(value.toString());
    }

    /** The variants of a cart of the shop as last mirrored; empty when it was not. */
    Optional<List<UUID>> mirrored(UUID shop, UUID cart) {
        Response items = redis.execute(Command.HGET, key(shop), "c:" + cart).await().atMost(TIMEOUT);
        if (items == null) {
            return Optional.empty();
        }
        String value = items.toString();
        return Optional.of(value.isEmpty() ? List.of() : Arrays.stream(value.split("_")).map(UUID::fromString).toList());
    }

    private Place advance(UUID shop, int admitPerSecond, long nowMillis, boolean join) {
        Response answer = ADVANCE.run(redis, key(shop), Long.toString(nowMillis), Integer.toString(admitPerSecond),
                join ? "1" : "0", Long.toString(IDLE.toSeconds())).await().atMost(TIMEOUT);
        return new Place(Long.parseLong(answer.get(0).toString()), Long.parseLong(answer.get(1).toString()));
    }

    private static String key(UUID shop) {
        return "wr:{" + shop + "}:queue";
    }

    /** The cell's key for signing tickets: made once (the first node to need it wins), then kept in memory. */
    String signingKey() {
        String key = signingKey;
        if (key != null) {
            return key;
        }
        redis.execute(Command.SET, KEY, Secrets.randomToken("wrk_"), "NX").await().atMost(TIMEOUT);
        Response stored = redis.execute(Command.GET, KEY).await().atMost(TIMEOUT);
        key = stored.toString();
        signingKey = key;
        return key;
    }
}
