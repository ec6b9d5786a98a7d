package gateway.internal.ratelimit;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import platform.Fallbacks;

/**
 * Per-tenant rate limits at the gateway with GCRA (the generic cell rate algorithm: a token bucket kept as one
 * timestamp per tenant), decided in this process on every request ({@link TenantBuckets}: no round trip on the
 * request's path) and shared by all gateways through Redis (ADR 0023). Every {@code GATEWAY_RATE_LIMIT_SYNC_EVERY}
 * the requests each tenant was admitted here are added to its bucket in Redis (one pipelined batch of Lua scripts,
 * run with EVALSHA), and the shared bucket, which counts every gateway's requests, comes back into this one's.
 *
 * <p>While Redis is slow or down this gateway decides alone: exact for its own traffic, blind to the others'. Each
 * round that could not reach Redis is counted in {@code gateway_ratelimit_fallbacks_total{reason}} ({@code paused}
 * while Redis is left alone for {@link #RETRY_REDIS_AFTER_NANOS} after a failure), and the first of a burst is logged
 * at WARN ({@link Fallbacks}); the requests of such a round are not carried over (the limit errs towards the shops).
 */
@ApplicationScoped
public class RateLimiter {

    /** Counter of the reconciliation rounds that could not reach Redis, tagged with their reason. */
    static final String FALLBACKS = "gateway.ratelimit.fallbacks";
    /** Reason of a round skipped while Redis is left alone after a failure. */
    static final String PAUSED = "paused";
    /** The longest a round may take. */
    static final Duration REDIS_TIMEOUT = Duration.ofMillis(250);
    static final long RETRY_REDIS_AFTER_NANOS = 1_000_000_000L;
    /** Tenants per pipelined batch. */
    static final int BATCH = 256;
    /** Tenants kept by one gateway, and how long an idle one is kept (longer than any bucket lasts). */
    static final long MAX_TENANTS = 1_000_000;
    static final Duration IDLE = Duration.ofMinutes(10);

    /**
     * KEYS[1] = the tenant's bucket; ARGV[1] = its interval (µs), ARGV[2] = requests admitted by one gateway since its
     * last round, ARGV[3] = the length of that round (µs): the requests are spread over it, so a bucket idle before
     * them is charged from the round's start, not from now. Returns how far the bucket's arrival time is ahead of now (µs).
     */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
            local from = now - tonumber(ARGV[3])
            if tat < from then tat = from end
            tat = tat + tonumber(ARGV[1]) * tonumber(ARGV[2])
            if tat > now then
              redis.call('SET', KEYS[1], tat, 'PX', math.ceil((tat - now) / 1000) + 1000)
              return tat - now
            end
            return 0
            """;

    /** A decision: allowed or not, with what the RateLimit headers report. */
    public record Decision(boolean allowed, int limit, long remaining, long retryAfterMicros, long resetMicros) {}

    @Inject ReactiveRedisDataSource redis;
    @Inject Fallbacks fallbacks;
    @Inject Vertx vertx;
    @ConfigProperty(name = "gateway.rate-limit.sync-every", defaultValue = "50ms") Duration syncEvery;

    private final TenantBuckets buckets = new TenantBuckets(() -> System.nanoTime() / 1000, MAX_TENANTS, IDLE);
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean syncing = new AtomicBoolean();
    private volatile long timer = -1;
    private volatile String sha;
    private volatile long redisDownUntil;
    private long lastRound = System.nanoTime();

    /** Decides on one request of a tenant with a sustained rate and a burst (both at least 1), in this process. */
    public Decision acquire(UUID tenant, int requestsPerSecond, int burst) {
        if (!started.get() && started.compareAndSet(false, true)) {
            timer = vertx.setPeriodic(Math.max(1, syncEvery.toMillis()), id -> sync());
        }
        return buckets.take(tenant, requestsPerSecond, burst);
    }

    @PreDestroy
    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round: adds what each tenant was admitted here since the last round to Redis, and merges the shared buckets back. */
    void sync() {
        if (!syncing.compareAndSet(false, true)) {
            return; // the last round is still out
        }
        long now = System.nanoTime();
        long span = Math.max(1, (now - lastRound) / 1000);
        lastRound = now;
        List<TenantBuckets.Pending> pending = buckets.drain();
        if (pending.isEmpty()) {
            syncing.set(false);
            return;
        }
        if (now - redisDownUntil < 0) {
            fallbacks.taken(FALLBACKS, "Rate limits decided by this gateway alone, Redis left alone for a second after a failure", PAUSED);
            syncing.set(false);
            return;
        }
        script().chain(loaded -> {
            List<Uni<Void>> batches = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += BATCH) {
                List<TenantBuckets.Pending> part = pending.subList(from, Math.min(pending.size(), from + BATCH));
                List<Request> requests = new ArrayList<>(part.size());
                for (TenantBuckets.Pending p : part) {
                    requests.add(Request.cmd(Command.EVALSHA).arg(loaded).arg(1).arg("rl:{" + p.tenant() + "}")
                            .arg(p.intervalMicros()).arg(p.requests()).arg(span));
                }
                batches.add(redis.getRedis().batch(requests).invoke(answers -> merge(part, answers)).replaceWithVoid());
            }
            return Uni.join().all(batches).andFailFast().replaceWithVoid();
        }).ifNoItem().after(REDIS_TIMEOUT).fail()
                .subscribe().with(done -> syncing.set(false), failure -> {
                    if (String.valueOf(failure.getMessage()).contains("NOSCRIPT")) {
                        sha = null; // Redis lost its scripts (a restart): loaded again next round
                    } else {
                        redisDownUntil = System.nanoTime() + RETRY_REDIS_AFTER_NANOS;
                    }
                    fallbacks.taken(FALLBACKS, "Rate limits decided by this gateway alone: Redis failed", failure);
                    syncing.set(false);
                });
    }

    private void merge(List<TenantBuckets.Pending> part, List<Response> answers) {
        for (int i = 0; i < part.size() && i < answers.size(); i++) {
            Response answer = answers.get(i);
            if (answer != null) {
                buckets.merge(part.get(i).tenant(), answer.toLong());
            }
        }
    }

    private Uni<String> script() {
        String loaded = sha;
        if (loaded != null) {
            return Uni.createFrom().item(loaded);
        }
        return redis.execute("SCRIPT", "LOAD", SCRIPT).map(r -> {
            sha = r.toString();
            return sha;
        });
    }
}
