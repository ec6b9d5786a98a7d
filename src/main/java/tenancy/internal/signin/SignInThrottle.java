package tenancy.internal.signin;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import platform.Secrets;
import platform.ratelimit.Gcra;

/**
 * Limits staff sign-in attempts before any password is hashed: per client address (all shops of
 * the cell together), then per account and client address. Counts live in the cell's Redis, one
 * round trip per attempt (a Lua script run with EVALSHA, GCRA on Redis' clock), so every node of
 * the cell counts together; when Redis fails or takes longer than
 * {@link SignInConfig#redisTimeout()}, the node counts in-process ({@link LocalCounts}) for a
 * second and then tries Redis again. A call that times out is not withdrawn: the attempt is
 * counted in Redis too when the script runs late.
 *
 * <p>Keys: {@code sf:signin:{<source>}} and {@code sf:signin:{<source>}:<digest of tenant and
 * email>} (the email is not stored; both keys share the source's hash slot).
 */
@ApplicationScoped
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);
    static final long RETRY_REDIS_AFTER_NANOS = 1_000_000_000L;

    /**
     * KEYS[1] = source, KEYS[2] = account at source; ARGV = source interval (µs), source burst,
     * account interval, account burst. Returns {0, 0} admitted, {1, wait µs} refused by the source's
     * limit, {2, wait µs} by the account's.
     */
    static final String SCRIPT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local function take(key, interval, burst)
              local tolerance = burst * interval
              local tat = tonumber(redis.call('GET', key) or '0')
              if tat < now then tat = now end
              local next = tat + interval
              if next - now > tolerance then
                return next - now - tolerance
              end
              redis.call('SET', key, string.format('%d', next), 'PX', math.ceil((next - now) / 1000) + 1000)
              return 0
            end
            local wait = take(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
            if wait > 0 then return {1, wait} end
            wait = take(KEYS[2], tonumber(ARGV[3]), tonumber(ARGV[4]))
            if wait > 0 then return {2, wait} end
            return {0, 0}
            """;

    private final ReactiveRedisDataSource redis;
    private final Gcra.Rate perSource;
    private final Gcra.Rate perAccount;
    private final Duration redisTimeout;
    private final LocalCounts local;

    private volatile String sha;
    private volatile long redisDownUntil = System.nanoTime();

    @Inject
    SignInThrottle(ReactiveRedisDataSource redis, SignInConfig config) {
        this.redis = redis;
        this.perSource = config.perSource().rate();
        this.perAccount = config.perAccount().rate();
        this.redisTimeout = config.redisTimeout();
        long idleMicros = Math.max(perSource.toleranceMicros(), perAccount.toleranceMicros());
        this.local = new LocalCounts(() -> System.currentTimeMillis() * 1000, Duration.ofNanos(idleMicros * 1000));
    }

    /** One sign-in attempt at an account (tenant and normalised email) from a client address. */
    public Decision attempt(String source, UUID tenant, String email) {
        String sourceKey = sourceKey(source);
        String accountKey = accountKey(source, tenant, email);
        if (System.nanoTime() - redisDownUntil < 0) {
            return local.attempt(sourceKey, perSource, accountKey, perAccount);
        }
        // not cancelled on a timeout: the script still runs in Redis, so a slow answer counts the
        // attempt there as well as in-process (twice rather than nowhere)
        CompletableFuture<Response> pending = evaluate(sourceKey, accountKey).subscribeAsCompletionStage();
        try {
            Response answer = pending.get(redisTimeout.toNanos(), TimeUnit.NANOSECONDS);
            long wait = answer.get(1).toLong();
            return switch (answer.get(0).toInteger()) {
                case 0 -> Decision.ADMITTED;
                case 1 -> Decision.refused(Decision.Limited.SOURCE, wait);
                default -> Decision.refused(Decision.Limited.ACCOUNT, wait);
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return local.attempt(sourceKey, perSource, accountKey, perAccount);
        } catch (ExecutionException | TimeoutException | RuntimeException unavailable) {
            redisDownUntil = System.nanoTime() + RETRY_REDIS_AFTER_NANOS;
            LOG.debugf("Sign-in attempts counted in-process for a while: %s", unavailable.getMessage());
            return local.attempt(sourceKey, perSource, accountKey, perAccount);
        }
    }

    /** A successful sign-in: the account's count from this address starts afresh. */
    public void succeeded(String source, UUID tenant, String email) {
        String accountKey = accountKey(source, tenant, email);
        local.forget(accountKey);
        if (System.nanoTime() - redisDownUntil < 0) {
            return;
        }
        try {
            redis.execute("DEL", accountKey).subscribeAsCompletionStage().get(redisTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException unavailable) {
            LOG.debugf("Could not reset a sign-in count in Redis (yet): %s", unavailable.getMessage());
        }
    }

    private Uni<Response> evaluate(String sourceKey, String accountKey) {
        String[] args = {"2", sourceKey, accountKey, Long.toString(perSource.intervalMicros()), Integer.toString(perSource.burst()),
                Long.toString(perAccount.intervalMicros()), Integer.toString(perAccount.burst())};
        String loaded = sha;
        if (loaded != null) {
            return redis.execute("EVALSHA", prepend(loaded, args))
                    .onFailure(e -> String.valueOf(e.getMessage()).contains("NOSCRIPT"))
                    .recoverWithUni(() -> { sha = null; return evaluate(sourceKey, accountKey); });
        }
        return redis.execute("SCRIPT", "LOAD", SCRIPT)
                .invoke(r -> sha = r.toString())
                .chain(r -> redis.execute("EVALSHA", prepend(r.toString(), args)));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static String sourceKey(String source) {
        return "sf:signin:{" + source + "}";
    }

    static String accountKey(String source, UUID tenant, String email) {
        return sourceKey(source) + ":" + Secrets.digest(tenant + "|" + email.toLowerCase(Locale.ROOT));
    }
}
