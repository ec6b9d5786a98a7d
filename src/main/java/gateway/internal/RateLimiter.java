package gateway.internal;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import platform.Fallbacks;
import platform.ratelimit.Gcra;
import platform.ratelimit.LocalGcra;

/**
 * Per-tenant rate limits with GCRA (the generic cell rate algorithm: a token bucket kept as one
 * timestamp per tenant). The shared state lives in Redis and each decision is one round trip (a Lua
 * script run with EVALSHA), so all gateways enforce one limit together. If Redis is slow or down, the
 * gateway decides with an in-process GCRA of the same limits and goes back to Redis by itself. Every decision taken
 * in-process is counted in {@code gateway_ratelimit_fallbacks_total{reason}} ({@code paused} while Redis is left alone
 * for {@link #RETRY_REDIS_AFTER_NANOS} after a failure), and the first of a burst logged at WARN ({@link Fallbacks}).
 */
@ApplicationScoped
public class RateLimiter {

    /** Counter of the decisions taken in-process, tagged with their reason. */
    static final String FALLBACKS = "gateway.ratelimit.fallbacks";
    /** Reason of a decision taken in-process while Redis is left alone after a failure. */
    static final String PAUSED = "paused";
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(50);
    static final long RETRY_REDIS_AFTER_NANOS = 1_000_000_000L;

    /** KEYS[1] = bucket; ARGV[1] = emission interval (µs); ARGV[2] = burst. Returns allowed, remaining, retry µs, reset µs. */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local limit = tonumber(ARGV[2]) * interval
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            if tat < now then tat = now end
            local new_tat = tat + interval
            if new_tat - now > limit then
              return {0, 0, new_tat - now - limit, tat - now}
            end
            redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil((new_tat - now) / 1000) + 1000)
            return {1, math.floor((limit - (new_tat - now)) / interval), 0, new_tat - now}
            """;

    /** A decision: allowed or not, with what the RateLimit headers report. */
    public record Decision(boolean allowed, int limit, long remaining, long retryAfterMicros, long resetMicros, boolean shared) {}

    @Inject ReactiveRedisDataSource redis;
    @Inject Fallbacks fallbacks;

    private volatile String sha;
    private volatile long redisDownUntil;
    private final LocalGcra<UUID> local = LocalGcra.monotonic(1_000_000, Duration.ofMinutes(10));

    /** Decides on one request of a tenant with a sustained rate and a burst (both at least 1). */
    public Uni<Decision> acquire(UUID tenant, int requestsPerSecond, int burst) {
        int rate = Math.max(1, requestsPerSecond);
        int bucket = Math.max(1, burst);
        long interval = 1_000_000L / rate;
        if (System.nanoTime() - redisDownUntil < 0) {
            fallbacks.taken(FALLBACKS, "Rate limit decided in-process, Redis left alone for a second after a failure", PAUSED);
            return Uni.createFrom().item(locally(tenant, interval, bucket, rate));
        }
        return evaluate(tenant, interval, bucket)
                .map(r -> new Decision(r.get(0).toInteger() == 1, rate, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toLong(), true))
                .ifNoItem().after(REDIS_TIMEOUT).fail()
                .onFailure().recoverWithItem(e -> {
                    redisDownUntil = System.nanoTime() + RETRY_REDIS_AFTER_NANOS;
                    fallbacks.taken(FALLBACKS, "Rate limit decided in-process: Redis failed", e);
                    return locally(tenant, interval, bucket, rate);
                });
    }

    private Uni<Response> evaluate(UUID tenant, long interval, int bucket) {
        String key = "rl:{" + tenant + "}";
        String loaded = sha;
        if (loaded != null) {
            return redis.execute("EVALSHA", loaded, "1", key, Long.toString(interval), Integer.toString(bucket))
                    .onFailure(e -> String.valueOf(e.getMessage()).contains("NOSCRIPT"))
                    .recoverWithUni(() -> { sha = null; return evaluate(tenant, interval, bucket); });
        }
        return redis.execute("SCRIPT", "LOAD", SCRIPT)
                .invoke(r -> sha = r.toString())
                .chain(r -> redis.execute("EVALSHA", r.toString(), "1", key, Long.toString(interval), Integer.toString(bucket)));
    }

    /** The same algorithm in this process (per gateway), for when Redis is unavailable. */
    Decision locally(UUID tenant, long interval, int bucket, int rate) {
        Gcra.Step step = local.take(tenant, new Gcra.Rate(interval, bucket));
        long now = local.nowMicros();
        if (!step.admitted()) {
            return new Decision(false, rate, 0, step.waitMicros(), Math.max(0, step.nextTat() - now), false);
        }
        long ahead = Math.max(0, step.nextTat() - now);
        return new Decision(true, rate, Math.max(0, (bucket * interval - ahead) / interval), 0, ahead, false);
    }
}
